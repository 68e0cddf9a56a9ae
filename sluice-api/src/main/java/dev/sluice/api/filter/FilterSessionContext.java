package dev.sluice.api.filter;

import dev.sluice.api.chain.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The core's side of one filter session: the client it serves, the way down the chain (the next filter, or the
 * router after the last one) and the way up (the previous filter that handles replies, or the client). Confined
 * to the session's worker.
 */
public interface FilterSessionContext {
    long sessionId();

    /** The client's user name. */
    String user();

    /** The client's address as the server would see it (IP, or "localhost" for Unix sockets). */
    String clientHost();

    String serviceName();

    /** The allocator of the session's channel, for rewritten packets. */
    ByteBufAllocator alloc();

    /** Passes a request on to the next filter or the router; ownership transferred. */
    void routeQuery(Request request);

    /**
     * Passes a reply packet on towards the client (the filters before this one that handle replies, then the
     * client), ownership transferred. Also how a filter answers a request by itself: the packets of a complete
     * reply with the sequence numbers the client expects (the request's sequence + 1, + 2 …).
     */
    void clientReply(ByteBuf packet);

    /**
     * Answers the request being filtered with an ERR packet (sequence number chosen by the core) instead of
     * routing it; the session stays usable. The filter releases the request itself.
     */
    void replyError(int errorCode, String sqlState, String message);
}
