package dev.sluice.api.filter;

import dev.sluice.api.chain.Request;
import dev.sluice.api.reply.Reply;
import io.netty.buffer.ByteBuf;

/**
 * One client's state in one filter: a link of the session's chain between the client and the router. All methods
 * are called on the session's worker, never concurrently.
 *
 * <p>Every request passes every filter, whatever its command: COM_QUERY, the prepared-statement commands with
 * their parameters, each packet of a 16 MiB+ request and of LOCAL INFILE data ({@link Request#isContinuation()}).
 * Only what the core answers by itself (COM_CHANGE_USER, COM_QUIT, KILL of a proxied connection id) does not.
 */
public interface FilterSession {

    /**
     * A request on its way to the router, ownership transferred. The filter may
     * <ul>
     *   <li>pass it on: {@link FilterSessionContext#routeQuery(Request)}, after attaching
     *       {@linkplain Request#addHint hints} or {@linkplain Request#replacePacket rewriting} it if it likes;</li>
     *   <li>answer it itself: write the reply with {@link FilterSessionContext#clientReply} (or
     *       {@link FilterSessionContext#replyError}), then {@link Request#release()} it;</li>
     *   <li>consume it: {@link Request#release()} it (only for commands that get no reply, or the client waits).</li>
     * </ul>
     */
    void routeQuery(Request request);

    /**
     * One packet of a reply on its way to the client, ownership transferred; called only when the filter
     * {@linkplain Filter#handlesReplies() handles replies}. {@code reply} describes the reply as this filter sees it
     * (this packet included). Pass the packet on with {@link FilterSessionContext#clientReply}, unchanged or
     * rewritten, now or later (hold it), or release it and send others instead (replace it).
     */
    default void clientReply(ByteBuf packet, Reply reply) {
        throw new IllegalStateException(getClass().getName() + " handles replies but does not implement clientReply");
    }

    /** The session ends. Release what the filter session holds. */
    default void close() {
    }
}
