package dev.sluice.api.server;

/**
 * Where a router can send requests: a server, or another service whose router then routes them (MaxScale's
 * {@code targets=} naming services: schemarouter over readwritesplit services, mirror, smartrouter).
 */
public interface Target {
    String name();

    /** For a server, what the monitor published; for a service, Running while any of its servers is usable. */
    ServerStatus status();

    /** Whether this target is a service (requests go through its router) rather than a server. */
    default boolean isService() {
        return false;
    }
}
