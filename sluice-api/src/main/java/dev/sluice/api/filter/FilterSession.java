package dev.sluice.api.filter;

import io.netty.buffer.ByteBuf;

/**
 * One client's state in one filter. All methods are called on the session's worker, never concurrently.
 *
 * <p>Requests that span several packets (16 MiB and more) and LOCAL INFILE data are not shown to filters: the
 * core hands them to the router directly.
 */
public interface FilterSession {

    /**
     * One client request: a whole command in one packet (header included), ownership transferred. Pass it on
     * with {@link FilterSessionContext#routeQuery} (the same buffer, or a rewritten one after releasing this
     * one), or answer it with {@link FilterSessionContext#replyError} after releasing it.
     *
     * @param command the command byte ({@code 0x03} for COM_QUERY)
     */
    void routeQuery(ByteBuf packet, int command);

    /**
     * One packet on its way to the client, lent for reading only: do not release, retain or modify it. Called
     * only when the filter {@linkplain Filter#observesReplies() observes replies}.
     */
    default void clientReply(ByteBuf packet) {
    }

    /** The session ends. */
    default void close() {
    }
}
