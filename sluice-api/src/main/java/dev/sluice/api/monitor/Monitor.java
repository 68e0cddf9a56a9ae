package dev.sluice.api.monitor;

import java.util.List;
import java.util.Map;

/**
 * A running monitor instance. {@link #start()} starts its own thread and returns; {@link #stop()} stops it
 * and waits for the thread to end. Both are called from the main worker only.
 */
public interface Monitor {
    void start();

    void stop();

    /** Whether the monitor has completed at least one full tick since start. */
    boolean hasTicked();

    /**
     * Runs a module command (MaxScale's {@code call command}: mariadbmon's switchover, failover, rejoin …).
     * May block until the operation ends; callable from any thread.
     */
    default CommandResult command(String name, List<String> args) {
        return CommandResult.error("module command '" + name + "' is not supported by this monitor");
    }

    /** Monitor-specific diagnostics for the REST API, JSON-friendly values only. */
    Map<String, Object> diagnostics();
}
