/**
 * {@code mariadbmon}: the monitor of MariaDB primary/replica (GTID) replication. The topology logic —
 * {@link dev.sluice.modules.mariadbmon.ReplicationGraph}, {@link dev.sluice.modules.mariadbmon.PrimarySelector},
 * {@link dev.sluice.modules.mariadbmon.StatusAssigner} — is pure and works on plain records; only
 * {@code ServerProbe} talks JDBC, and only {@link dev.sluice.modules.mariadbmon.MariaDbMonitor} has a thread.
 * Failover, switchover and rejoin are not part of this package yet.
 */
package dev.sluice.modules.mariadbmon;
