package dev.sluice.modules.readwritesplit;

import dev.sluice.api.router.Endpoint;
import dev.sluice.api.server.Server;
import dev.sluice.api.reply.Reply;
import dev.sluice.api.reply.SessionChanges;

/**
 * One backend connection of a readwritesplit session and what the session knows about it: whether it is still
 * catching up with the session command history, and the reply it is giving. Confined to the session's worker.
 */
final class Backend {
    enum State { CONNECTING, REPLAYING, READY, CLOSED }

    final Server server;
    /** Not final: a replica connection to a server that became the primary is promoted (master_reconnection). */
    boolean primary;
    Endpoint endpoint;
    State state = State.CONNECTING;
    /** History position of the next command to replay. */
    long replayPosition;
    SessionCommandHistory.Entry replaying;
    /** The reply in progress (copied from the {@link Reply} of its latest packet): was it an ERR. */
    boolean replyFailed;
    /** The error code when the reply is an ERR, else 0. */
    int replyErrorCode;
    /** Statement id from a COM_STMT_PREPARE OK, and its parameter count. */
    long preparedId = -1;
    int preparedParams;
    /** Counted in ServerStats.operations until the reply completes. */
    boolean operationCounted;
    long sentAtNanos;
    /** An internal query in flight (causal reads): gets its one value, or null on error or loss. */
    java.util.function.Consumer<String> internal;
    String internalValue;
    /**
     * Session state tracking (see {@link SessionTracking}): on; set up since the session last changed the
     * tracking settings; setups sent whose reply has not come yet (they come before any other reply).
     */
    boolean tracking;
    /** The connection negotiated CLIENT_SESSION_TRACK, the client did not: OKs are rewritten on their way to it. */
    boolean rewriteOks;
    boolean trackingSetUp;
    int pendingSetups;
    /** The session state changes the final OK of the last reply reported, or null. */
    SessionChanges replyTrack;
    /** The last GTID an OK of the reply in progress (or just complete) reported, or null. */
    String replyGtid;
    /** The GTID position this connection's server is known to have applied (causal reads). */
    String syncedGtid = "";

    Backend(Server server, boolean primary) {
        this.server = server;
        this.primary = primary;
    }

    boolean ready() {
        return state == State.READY && endpoint != null && endpoint.isOpen();
    }

    /**
     * Takes what the session needs after the reply from the live {@link Reply} of its latest packet: success or
     * error, a prepared statement's id, the GTID an OK reported, the final OK's session state changes.
     */
    void noteReply(Reply reply) {
        replyFailed = reply.isError();
        replyErrorCode = replyFailed ? reply.error().code() : 0;
        if (reply.generatedId() >= 0) {
            preparedId = reply.generatedId();
            preparedParams = reply.paramCount();
        }
        if (!tracking) {
            return; // what the server tracks is only known once Sluice set the tracking up
        }
        if (reply.lastGtid() != null) {
            replyGtid = reply.lastGtid();
        }
        if (reply.isComplete()) {
            replyTrack = reply.sessionChanges().isEmpty() ? null : reply.sessionChanges();
        }
    }

    void newReply() {
        replyFailed = false;
        replyErrorCode = 0;
        preparedId = -1;
        preparedParams = 0;
        replyTrack = null;
        replyGtid = null;
    }

    @Override
    public String toString() {
        return server.name();
    }
}
