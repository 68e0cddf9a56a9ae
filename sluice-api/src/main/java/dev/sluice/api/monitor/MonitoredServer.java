package dev.sluice.api.monitor;

import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;

/** A server as its monitor sees it: readable like any server, plus the right to publish its status. */
public interface MonitoredServer {
    Server server();

    /**
     * Publishes a new status. Operator-owned bits ({@link dev.sluice.api.server.StatusBit#MANUAL_BITS}) in
     * the argument are ignored; the runtime keeps the ones the operator set. Callable from the monitor
     * thread only.
     */
    void publish(ServerStatus status);

    /**
     * Sets or clears the operator's {@link dev.sluice.api.server.StatusBit#MAINTENANCE} state, as MaxScale's
     * monitors do after some operations (mariadbmon: the old primary of a write-test failover, or of a
     * switchover asked to leave it in maintenance). An operator clears it again. Callable from the monitor
     * thread.
     */
    void setMaintenance(boolean on);
}
