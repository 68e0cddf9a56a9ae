package dev.sluice.api.filter;

import java.util.Map;

/**
 * A filter instance, one per {@code type=filter} section. It holds the immutable configuration it was created
 * with and counters shared by its sessions (thread-safe). When its parameters change at runtime the core creates
 * a new instance for new sessions; sessions running keep the instance they started with, so an instance must
 * not hold resources that need an explicit release.
 */
public interface Filter {
    /**
     * Creates the filter's state for one client session, on that session's worker.
     *
     * @return the session, or null when the filter has nothing to do for this session (its {@code user} or
     *         {@code source} does not match, say): the chain then leaves it out and pays nothing for it
     */
    FilterSession newSession(FilterSessionContext session);

    /**
     * Whether the filter's sessions take the reply packets ({@link FilterSession#clientReply}) and pass them on
     * themselves; when no filter of a chain does, replies go to the client without a detour.
     */
    default boolean handlesReplies() {
        return false;
    }

    /** Filter diagnostics for the REST API: JSON-friendly values. Callable from any thread. */
    default Map<String, Object> diagnostics() {
        return Map.of();
    }
}
