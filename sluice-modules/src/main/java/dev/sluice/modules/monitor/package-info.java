/**
 * What the monitor modules share: how a monitor connects to a server ({@link dev.sluice.modules.monitor.MonitorConnections},
 * with the per-server {@code monitoruser}/{@code monitorpw}) and the common monitor parameters
 * ({@link dev.sluice.modules.monitor.MonitorSettings}).
 */
package dev.sluice.modules.monitor;
