package dev.sluice.api.router;

import dev.sluice.api.server.Server;
import io.netty.buffer.ByteBuf;

/** A logged-in backend connection owned by one session, on that session's worker. */
public interface Endpoint {
    Server server();

    /** Writes one request packet, ownership transferred; the command is recorded for reply tracking. */
    void write(ByteBuf packet, int command);

    /** Whether a reply is still expected from this connection. */
    boolean isBusy();

    /** Whether the server reports an open transaction (from the last reply's status flags). */
    boolean inTransaction();

    /**
     * The server status flags of the last complete reply (IN_TRANS, AUTOCOMMIT, ... as the protocol numbers
     * them), so that a router can correct its view of the transaction state from what the server says.
     */
    int statusFlags();

    /**
     * The capability flags negotiated with the server (the protocol's CLIENT_* numbering, e.g. CLIENT_SESSION_TRACK
     * = 1 << 23): the client's, as far as the server has them, so a router knows what the replies carry. 0 when
     * unknown.
     */
    default long capabilities() {
        return 0;
    }

    /** The backend's own connection id (what CONNECTION_ID() returns there). */
    long backendThreadId();

    boolean isOpen();

    /**
     * Closes this connection on the router's request (a replica that diverged from the primary); idempotent.
     * No {@code endpointFailed} call follows. Call only when the endpoint is not busy.
     */
    void close();
}
