package dev.sluice.server.session;

import io.netty.buffer.ByteBuf;

/** The session side of a backend connection: where its reply packets and failures go. Same worker. */
interface BackendOwner {
    /** One reply packet, ownership transferred. */
    void backendReply(BackendConnection backend, ByteBuf packet, boolean replyComplete);

    void backendFailed(BackendConnection backend, String reason, boolean replyInProgress);

    /** The backend wrote something that needs a flush at the end of the current read. */
    void backendWritten(BackendConnection backend);

    /** The backend's reads finished a batch: flush what was written to the client. */
    void backendReadComplete(BackendConnection backend);

    /** The backend's channel became (un)writable: stop or resume reading from the client. */
    void backendWritabilityChanged(BackendConnection backend, boolean writable);
}
