/**
 * {@code readconnroute}: connection-level load balancing. At session start it picks one server among the
 * eligible ones (by role, rank and current connection count) and every packet of the session goes there.
 */
package dev.sluice.modules.readconnroute;
