package dev.sluice.modules.readwritesplit;

import dev.sluice.api.reply.Reply;
import dev.sluice.protocol.message.server.TextRow;
import dev.sluice.protocol.message.client.ComQuery;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * causal_reads for one session: learns the GTID of the session's writes (or the primary's position), makes a
 * read wait on its replica (MASTER_GTID_WAIT) or restricts it to caught-up replicas, and sends the queries of
 * Sluice's own that this needs (their replies never reach the client). {@link CausalReads} holds the GTID
 * arithmetic. Confined to the session's worker.
 */
final class CausalReadRouting {
    private final ReadWriteSplitSession owner;
    private final ReadWriteSplit router;
    private final CausalReads.Mode mode;
    // both: confined to the session's worker
    /** The session's last GTID (from {@code @@last_gtid}), and whether a write followed it. */
    private String sessionGtid = "";
    private boolean wroteSinceGtid;

    CausalReadRouting(ReadWriteSplitSession owner) {
        this.owner = owner;
        this.router = owner.router;
        this.mode = router.causalMode();
    }

    /** Sends a query of Sluice's own on an idle ready connection; its reply goes to {@code done}, not the client. */
    void internalQuery(Backend b, String sql, Consumer<String> done) {
        b.internal = done;
        b.internalValue = null;
        b.newReply();
        b.endpoint.write(ComQuery.encode(ByteBufAllocator.DEFAULT, sql, 0), Command.COM_QUERY);
    }

    /** A packet of the reply to an internal query; takes ownership of {@code packet}. */
    void internalReply(Backend b, ByteBuf packet, Reply reply) {
        try {
            if (reply.rowCount() == 1 && !reply.isComplete()) {
                b.internalValue = TextRow.firstColumn(packet); // the one row
                return;
            }
            if (!reply.isComplete()) {
                return;
            }
        } finally {
            packet.release();
        }
        Consumer<String> done = b.internal;
        b.internal = null;
        done.accept(reply.isError() ? null : b.internalValue);
    }

    /** The connection of an internal query failed: the request it served goes on without it. */
    boolean internalFailed(Backend b) {
        if (b.internal == null) {
            return false;
        }
        Consumer<String> done = b.internal;
        b.internal = null;
        done.accept(null);
        return true;
    }

    /** The GTID position a read must see, or "" when there is none (causal_reads off, or nothing written). */
    private String requiredGtid(Request r) {
        return switch (mode) {
            case NONE -> "";
            case LOCAL, FAST -> sessionGtid;
            case GLOBAL, FAST_GLOBAL -> router.serviceGtid();
            case UNIVERSAL, FAST_UNIVERSAL -> r.primaryGtid == null ? "" : r.primaryGtid;
        };
    }

    /**
     * Whether a request is an autocommit read that causal_reads applies to: a statement (text or binary), not a
     * COM_STMT_FETCH, which must follow its execution's cursor.
     */
    private boolean causalRead(Request r) {
        return mode != CausalReads.Mode.NONE && r.decision.isRead() && !owner.trx.open() && !r.causalToPrimary
                && (r.command == Command.COM_QUERY || r.command == Command.COM_STMT_EXECUTE);
    }

    /**
     * Routes a read: with causal_reads=universal / fast_universal the primary's current GTID position is read
     * first (when the primary is connected and ready). Takes ownership of {@code packet}.
     */
    void dispatchRead(Request r, ByteBuf packet) {
        Backend primary = owner.primary;
        if (mode.asksPrimary() && causalRead(r) && primary != null && primary.ready()) {
            r.pending = packet;
            internalQuery(primary, CausalReads.CURRENT_POS_QUERY, pos -> {
                ByteBuf p = r.pending;
                r.pending = null;
                if (owner.closed || owner.current != r || p == null) {
                    if (p != null) {
                        p.release();
                    }
                    return;
                }
                r.primaryGtid = CausalReads.valid(pos) ? pos : "";
                owner.dispatch(r, p);
                owner.finishIfDone(r);
            });
            return;
        }
        owner.dispatch(r, packet);
    }

    /**
     * causal_reads=fast / fast_global / fast_universal: only replicas whose position (as the monitor last saw
     * it) includes the GTID the read must see; the primary serves the read otherwise.
     */
    Predicate<Backend> caughtUp(Request r) {
        if (mode.waits() || !causalRead(r)) {
            return b -> true;
        }
        String gtid = requiredGtid(r);
        if (!CausalReads.valid(gtid)) {
            return b -> true;
        }
        return b -> b.primary || CausalReads.covers(b.server.status().gtidCurrentPos(), gtid);
    }

    /**
     * causal_reads=local / global / universal: makes the replica wait for the GTID the read needs before the read
     * is sent. Returns true when it took {@code packet} (the read follows once the wait is over).
     */
    boolean waitBeforeSend(Request r, Backend b, ByteBuf packet) {
        if (b.primary || !mode.waits() || !causalRead(r)) {
            return false;
        }
        String gtid = requiredGtid(r);
        if (!CausalReads.valid(gtid) || CausalReads.covers(b.syncedGtid, gtid)) {
            return false;
        }
        router.causalWaits.increment();
        r.pending = packet;
        internalQuery(b, CausalReads.waitQuery(gtid, owner.config.causalReadsTimeout()),
                result -> waitDone(r, b, gtid, result));
        return true;
    }

    /** The reply of MASTER_GTID_WAIT on the replica chosen for a causal read. */
    private void waitDone(Request r, Backend b, String gtid, String result) {
        ByteBuf packet = r.pending;
        r.pending = null;
        if (owner.closed || owner.current != r || packet == null) {
            if (packet != null) {
                packet.release();
            }
            return;
        }
        if ("0".equals(result) && b.ready()) {
            b.syncedGtid = CausalReads.merge(b.syncedGtid, gtid);
            owner.sendNow(r, b, packet);
        } else {
            router.causalTimeouts.increment();
            r.causalToPrimary = true;
            owner.dispatch(r, packet);
        }
        owner.finishIfDone(r);
    }

    /** A request is sent to {@code b}: a write on the primary makes the session's GTID out of date. */
    void sending(Request r, Backend b) {
        if (b.primary && r.decision.target() != RouteTarget.ALL && !r.decision.isRead()) {
            wroteSinceGtid = true;
        }
    }

    /** Whether the last packet of this reply must wait for the write's GTID before it reaches the client. */
    boolean holdsLastPacket(Backend b) {
        return b == owner.primary && wroteSinceGtid && mode.tracksWrites();
    }

    /**
     * The request is complete: after a write (once no transaction is open) the session reads its GTID, and
     * only then releases the held end of the reply and moves on. Returns true when it took over ({@code then}
     * runs later), false when there is nothing to learn.
     */
    boolean learnGtidAfter(Request r, Backend src, Runnable then) {
        if (!mode.tracksWrites() || !wroteSinceGtid || src == null || src != owner.primary || owner.trx.open()) {
            return false;
        }
        String tracked = SessionTracking.replyGtid(src);
        if (CausalReads.valid(tracked)) {
            // the write's OK reported it (session state tracking): no round trip
            wroteSinceGtid = false;
            learned(tracked);
            return false;
        }
        if (src.tracking && !src.replyFailed) {
            // a tracking connection reports every new last_gtid: none means the statement wrote no GTID
            wroteSinceGtid = false;
            return false;
        }
        if (!src.ready()) {
            return false;
        }
        wroteSinceGtid = false;
        router.gtidQueries.increment();
        internalQuery(src, CausalReads.LAST_GTID_QUERY, gtid -> {
            learned(gtid);
            then.run();
        });
        return true;
    }

    private void learned(String gtid) {
        if (CausalReads.valid(gtid)) {
            sessionGtid = CausalReads.merge(sessionGtid, gtid);
            if (mode.global()) {
                router.observeGtid(gtid);
            }
        }
    }
}
