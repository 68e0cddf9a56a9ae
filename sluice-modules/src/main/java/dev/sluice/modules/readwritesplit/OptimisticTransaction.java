package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.QueryType;
import io.netty.buffer.ByteBuf;

/**
 * optimistic_trx: a read-write transaction ({@code BEGIN} / {@code START TRANSACTION}) starts on a replica and
 * stays there while it only reads; its statements are recorded as for transaction_replay. At its first write the
 * transaction is rolled back on the replica and replayed on the primary (checksums compared, so the client never
 * sees a different transaction), and the write follows there. A transaction that only reads commits on the
 * replica. Confined to the session's worker.
 */
final class OptimisticTransaction {
    private static final String REASON = "optimistic transaction";

    private final ReadWriteSplitSession owner;
    /** The replica running the optimistic transaction, or null; confined to the session's worker. */
    Backend backend;

    OptimisticTransaction(ReadWriteSplitSession owner) {
        this.owner = owner;
    }

    /**
     * Adjusts the routing of a statement (after its decision) while an optimistic transaction may start or runs.
     * Returns true when it took {@code packet}: the first write, which moves the transaction to the primary.
     */
    boolean route(Request r, ByteBuf packet, TransactionState.Start start) {
        if (!owner.config.transactionReplay().optimistic() || r.decision.target() == RouteTarget.ALL) {
            return false;
        }
        long t = r.info.types();
        if (backend == null) {
            if (start == TransactionState.Start.READ_WRITE && (t & QueryType.BEGIN_TRX) != 0
                    && r.decision.target() == RouteTarget.PRIMARY && owner.trx.lockReason().isEmpty()) {
                r.decision = RoutingDecision.of(RouteTarget.REPLICA, REASON);
                r.optimisticStart = true;
            }
            return false;
        }
        if ((t & (QueryType.COMMIT | QueryType.ROLLBACK)) != 0 || owner.router.decider()
                .decide(r.info, new TransactionState(), owner.state::textPrepared).isRead()) {
            r.decision = RoutingDecision.of(RouteTarget.REPLICA, REASON);
            return false;
        }
        Backend replica = backend;
        backend = null;
        if (replica.ready() && replica.internal == null) {
            owner.causal.internalQuery(replica, "ROLLBACK", ignored -> { });
        }
        r.decision = RoutingDecision.of(RouteTarget.PRIMARY, REASON + ": first write, moved to the primary");
        owner.replay.migrate(r, packet);
        return true;
    }

    /** The connection for a statement of the optimistic transaction; null when none runs. */
    Backend resolve(Request r) {
        if (r.optimisticStart) {
            Backend b = owner.selection.chooseReadBackend(r.excluded, x -> true, true);
            backend = b;
            return b;
        }
        return backend;
    }

    void ended() {
        backend = null;
    }
}
