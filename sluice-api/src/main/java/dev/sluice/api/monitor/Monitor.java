package dev.sluice.api.monitor;

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

    /** Monitor-specific diagnostics for the REST API, JSON-friendly values only. */
    Map<String, Object> diagnostics();
}
