package dev.sluice.api.router;

import dev.sluice.api.query.QueryClassifier;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.server.Server;
import io.netty.buffer.ByteBuf;
import java.util.List;

/** The core's side of a router session: the client, the service's servers and backend connections. */
public interface RouterSessionContext {
    long sessionId();

    String user();

    /** The client's address as the server would see it (IP, or "localhost" for Unix sockets). */
    String clientHost();

    /** The service's servers at session start (a snapshot; their status keeps changing). */
    List<Server> servers();

    /**
     * Opens (or takes from the pool) a backend connection to {@code server} on this session's worker, logged
     * in as the client's user. The listener is called on this worker.
     */
    void connect(Server server, ConnectListener listener);

    /**
     * As {@link #connect(Server, ConnectListener)}, but the connection also negotiates {@code extraCapabilities}
     * (e.g. CLIENT_SESSION_TRACK) where the server has them, even when the client did not: the router then makes
     * the replies it relays fit {@link #clientCapabilities()}. A pooled connection is reused only by a session
     * asking the same. The default ignores the extra capabilities.
     */
    default void connect(Server server, long extraCapabilities, ConnectListener listener) {
        connect(server, listener);
    }

    /** The capability flags the client negotiated (the protocol's CLIENT_* numbering); 0 when unknown. */
    default long clientCapabilities() {
        return 0;
    }

    /** Tells the client it is logged in (sends the OK of the handshake). Call once. */
    void ready();

    /** Refuses the session with an ERR packet and closes it. */
    void fail(int errorCode, String sqlState, String message);

    /** Sends a packet to the client, ownership transferred; flushed at the end of the current read. */
    void writeToClient(ByteBuf packet);

    /**
     * The router has written, with {@link #writeToClient}, a complete reply of its own (no backend answered) to
     * the request being routed: the client is no longer waiting (idle timeouts, keepalive and graceful shutdown
     * see it idle).
     */
    default void replyWritten() {
    }

    /** Sends an ERR in answer to the request being routed; the session stays usable. */
    void replyError(int errorCode, String sqlState, String message);

    /** Closes the client connection and the session. */
    void closeSession(String reason);

    /**
     * The statement classifier of this session's worker (created on first use, with the worker's share of
     * {@code query_classifier_cache_size}). Confined to the worker, like the session.
     */
    QueryClassifier classifier();

    /**
     * The session's statement context changed (sql_mode, temporary tables, server version): requests classified
     * from now on ({@link dev.sluice.api.chain.Request#queryInfo()}) use it. The default context is
     * {@link QueryContext#DEFAULT}.
     */
    default void queryContext(QueryContext context) {
    }

    /** Called by the router when it connects a new backend: is the client expecting a reply right now? */
    boolean clientWaitingForReply();

    /**
     * Runs {@code task} on this session's worker after {@code delayMillis}, unless the session has closed by
     * then; what the task writes to backends or to the client is flushed after it. For routers that wait for a
     * server to come back (readwritesplit delayed_retry, transaction_replay).
     *
     * @return cancels the task if it has not run yet
     */
    default Runnable schedule(long delayMillis, Runnable task) {
        throw new UnsupportedOperationException("schedule: not supported by " + getClass().getName());
    }

    /** Callback of {@link #connect}. */
    interface ConnectListener {
        void connected(Endpoint endpoint);

        void failed(String reason);
    }
}
