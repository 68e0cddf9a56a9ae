package dev.sluice.api.server;

import dev.sluice.api.config.ParamValues;

/**
 * A backend database server as routers and monitors see it. Identity (name, address) is fixed; the status
 * is an immutable snapshot replaced by the monitor thread (or by an operator) and read by any thread.
 */
public interface Server extends Target {
    @Override
    String name();

    /** Host name or IP address; empty when the server is reached through a Unix socket. */
    String address();

    int port();

    /** Unix socket path, or empty. */
    String socket();

    /** The server's own parameters (persistpoolmax, rank, ssl …), typed by the server spec. */
    ParamValues params();

    @Override
    ServerStatus status();

    /** 0 for rank=primary, 1 for rank=secondary: routers prefer the lowest. */
    int rank();
}
