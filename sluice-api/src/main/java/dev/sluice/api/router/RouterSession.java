package dev.sluice.api.router;

import dev.sluice.api.chain.Request;
import dev.sluice.api.reply.Reply;
import io.netty.buffer.ByteBuf;

/**
 * One client's routing state. All methods are called on the session's worker, never concurrently.
 */
public interface RouterSession {

    /**
     * Called once, after the client has authenticated: choose and connect backends through
     * {@link RouterSessionContext#connect}. The client is told it is logged in only after
     * {@link RouterSessionContext#ready()}; if no backend can be had, call
     * {@link RouterSessionContext#fail(int, String, String)} instead.
     */
    void start();

    /**
     * One client request (one physical packet, header included), ownership transferred: the router passes its
     * packet on to backends or releases it. {@link Request#command()} is -1 for the continuation of a 16 MiB+
     * request or LOCAL INFILE data. Filters may have attached {@linkplain Request#hints() hints}.
     */
    void routeQuery(Request request);

    /**
     * One physical packet of a backend's reply, ownership transferred.
     *
     * @param packet   the packet, header included
     * @param endpoint the connection it came from
     * @param reply    what the reply is so far, this packet included ({@link Reply#isComplete()}: this packet ends
     *                 the endpoint's reply to the current request); a live view, valid during the call
     */
    void clientReply(ByteBuf packet, Endpoint endpoint, Reply reply);

    /**
     * A backend connection of this session failed or closed. The endpoint is already closed.
     *
     * @param replyInProgress true if the endpoint was answering a request when it failed
     */
    void endpointFailed(Endpoint endpoint, String reason, boolean replyInProgress);

    /**
     * The core re-authenticated the client (COM_CHANGE_USER) and reset every backend connection of the session:
     * session variables, prepared statements, temporary tables and any open transaction are gone there, and
     * connections opened from now on log in as the new user.
     */
    default void userChanged() {
    }

    /** The session ends; release what the router session holds. Endpoints are closed by the core. */
    void close();
}
