package dev.sluice.api.router;

import java.util.Map;

/**
 * A router instance, one per service. It holds the immutable configuration it was created with and
 * counters shared by its sessions (thread-safe: LongAdders or atomics). Sessions are created on workers.
 */
public interface Router {
    RouterSession newSession(RouterSessionContext session);

    /** Router diagnostics for the REST API: JSON-friendly values. Callable from any thread. */
    default Map<String, Object> diagnostics() {
        return Map.of();
    }
}
