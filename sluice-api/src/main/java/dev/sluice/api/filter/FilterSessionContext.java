package dev.sluice.api.filter;

import dev.sluice.api.query.Hint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * The core's side of one filter session: the client it serves, and the way down the chain (the next filter,
 * or the router after the last one). Confined to the session's worker.
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
    void routeQuery(ByteBuf packet, int command);

    /**
     * Passes a COM_QUERY on with routing hints for this statement alone ({@link dev.sluice.api.query.HintAction#APPLY}
     * hints: route to master, slave, or a named server), as MaxScale's namedserverfilter attaches them. Routers
     * that honour hints (readwritesplit) apply them ahead of the statement's own hint comments; others ignore
     * them. The core hands them to the router as a leading {@code /* maxscale route to … *&#47;} comment, the
     * hint syntax every hint-honouring router reads, so the hints stay with the statement however long the
     * router queues it. Hints on other commands are ignored. Ownership of the packet is transferred.
     */
    void routeQuery(ByteBuf packet, int command, List<Hint> hints);

    /**
     * Answers the request being filtered with an ERR packet instead of routing it; the session stays usable.
     * The filter releases the request itself.
     */
    void replyError(int errorCode, String sqlState, String message);
}
