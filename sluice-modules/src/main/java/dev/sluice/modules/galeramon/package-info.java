/**
 * {@code galeramon}: the monitor of a MariaDB Galera cluster. {@link dev.sluice.modules.galeramon.GaleraRoles}
 * holds every rule (who is Synced, who is the Master) as a pure function of what the nodes reported; only
 * {@code GaleraProbe} talks JDBC, and only {@link dev.sluice.modules.galeramon.GaleraMonitor} has a thread.
 */
package dev.sluice.modules.galeramon;
