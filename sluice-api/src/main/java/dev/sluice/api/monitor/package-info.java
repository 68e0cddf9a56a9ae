/**
 * The monitor plugin API. A monitor runs on its own thread (it may block: it talks to servers with JDBC),
 * and publishes one immutable {@link dev.sluice.api.server.ServerStatus} per server and tick.
 */
package dev.sluice.api.monitor;
