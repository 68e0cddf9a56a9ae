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

    /** The backend's own connection id (what CONNECTION_ID() returns there). */
    long backendThreadId();

    boolean isOpen();
}
