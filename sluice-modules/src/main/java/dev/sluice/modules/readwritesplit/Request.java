package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.QueryInfo;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The client request a readwritesplit session is routing: where it went, which connections still owe a reply,
 * whose reply the client gets, and the buffers kept for a retry or for the history. Buffers held here are
 * released by the session when the request ends. Confined to the session's worker.
 */
final class Request {
    final int command;
    RoutingDecision decision;
    /** The classification of a COM_QUERY, or of the text of a COM_STMT_PREPARE / executed statement. */
    QueryInfo info;
    PreparedStatements.Statement statement;
    final List<Backend> targets = new ArrayList<>(2);
    final List<Backend> answering = new ArrayList<>(2);
    /** The connection whose reply goes to the client; null once it failed mid-reply. */
    Backend source;
    boolean written;
    boolean bytesToClient;
    /** A session command: sent to every connection, remembered in the history when it succeeds. */
    boolean remember;
    boolean explain;
    /** A session command that changes what the servers track (session_track_*). */
    boolean changesTracking;
    /** reuse_prepared_statements: the SQL of a COM_STMT_PREPARE, and copies of the reply the client gets. */
    String prepareSql;
    List<ByteBuf> prepareReply;
    /** reuse_prepared_statements: the name and statement of a text PREPARE. */
    String textPrepare;
    String textPrepareSql;
    /** A max_replication_lag hint of the statement, in seconds; -1 (or 0): none. */
    long maxLagSeconds = -1;

    /**
     * Whether the hinted max_replication_lag lets the read use {@code b}: the primary, a replica whose lag is
     * unknown to the monitor, or one lagging less.
     */
    boolean lagAllows(Backend b) {
        long lag = b.server.status().replicationLag();
        return maxLagSeconds <= 0 || b.primary || lag < 0 || lag < maxLagSeconds;
    }
    /** The request while it waits for {@link #waitingFor} to connect and catch up. */
    ByteBuf parked;
    Backend waitingFor;
    /** A copy for retry_failed_reads (a read on a replica), or null. */
    ByteBuf retry;
    /** A copy for the history, or null. */
    ByteBuf historyCopy;
    final List<Backend> excluded = new ArrayList<>(1);
    /** causal_reads: the read timed out waiting on a replica and goes to the primary. */
    boolean causalToPrimary;
    /** causal_reads=universal / fast_universal: the primary's position read for this request, or null. */
    String primaryGtid;
    /**
     * causal_reads: the last packet of a write's reply, held back until the write's GTID is known, so that
     * no read the client sends after seeing its write complete (on any session) can miss the GTID.
     */
    ByteBuf held;
    /** causal_reads: the request while Sluice's own query (GTID position, GTID wait) runs before it. */
    ByteBuf pending;
    /** transaction_replay: a copy of the request sent to the primary inside a read-write transaction, or null. */
    ByteBuf replayCopy;
    /**
     * delayed_retry: a copy of an autocommit write sent to the primary, sent again to the next primary when this
     * one rejects it as read-only (a switchover in progress); or null.
     */
    ByteBuf writeCopy;
    /** optimistic_trx: this BEGIN starts a transaction on a replica. */
    boolean optimisticStart;
    /** delayed_retry: when the request first found no server to take it, or 0. */
    long delayedSinceNanos;

    Request(int command) {
        this.command = command;
    }

    void releaseBuffers() {
        if (parked != null) {
            parked.release();
            parked = null;
        }
        if (retry != null) {
            retry.release();
            retry = null;
        }
        if (held != null) {
            held.release();
            held = null;
        }
        if (prepareReply != null) {
            prepareReply.forEach(ByteBuf::release);
            prepareReply = null;
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (writeCopy != null) {
            writeCopy.release();
            writeCopy = null;
        }
        if (historyCopy != null) {
            historyCopy.release();
            historyCopy = null;
        }
        if (replayCopy != null) {
            replayCopy.release();
            replayCopy = null;
        }
    }
}
