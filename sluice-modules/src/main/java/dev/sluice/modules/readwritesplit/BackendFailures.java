package dev.sluice.modules.readwritesplit;

import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a readwritesplit session does when one of its connections fails (it is already forgotten by the
 * session): the primary's loss closes the session, waits for the next primary or starts a transaction replay; a
 * replica's loss retries the read elsewhere (retry_failed_reads), moves an optimistic transaction to the
 * primary, ends a read-only transaction, or lets another connection's reply to a session command go to the
 * client. Confined to the session's worker.
 */
final class BackendFailures {
    private static final Logger log = LoggerFactory.getLogger(BackendFailures.class);

    private final ReadWriteSplitSession owner;

    BackendFailures(ReadWriteSplitSession owner) {
        this.owner = owner;
    }

    /** {@code b} failed; {@code wasPrimary} when it was the session's primary connection. */
    void failed(Backend b, boolean wasPrimary, String reason) {
        Request r = owner.current;
        if (owner.replay.isTarget(b)) {
            owner.replay.targetLost(reason);
            return;
        }
        if (b == owner.optimistic.backend) {
            // the replica of an optimistic transaction: the transaction goes on on the primary
            owner.optimistic.ended();
            String notReplayed = owner.replay.primaryLost(r, b);
            if (notReplayed == null) {
                return;
            }
            if (r != null) {
                owner.session.replyError(ReadWriteSplitSession.ER_CONNECTION_KILLED, ReadWriteSplitSession.LOST_CONNECTION_STATE, "Lost connection to replica '" + b.server.name()
                        + "' during an optimistic transaction: " + reason + "; not replayed: " + notReplayed);
            }
            owner.session.closeSession("replica " + b.server.name() + " of an optimistic transaction failed: "
                    + reason);
            return;
        }
        if (wasPrimary) {
            boolean inReadWriteTransaction = owner.trx.open() && !owner.trx.readOnlyTransaction();
            String notReplayed = inReadWriteTransaction ? owner.replay.primaryLost(r, b) : "";
            if (notReplayed == null) {
                return; // the transaction is being replayed on the next primary
            }
            if (inReadWriteTransaction && owner.config.transactionReplay().enabled()) {
                log.info("Session {}: the transaction on primary {} was not replayed: {}", owner.session.sessionId(),
                        b.server.name(), notReplayed);
            }
            if (owner.config.failInstantly() || inReadWriteTransaction) {
                if (r != null) {
                    owner.session.replyError(ReadWriteSplitSession.ER_CONNECTION_KILLED, ReadWriteSplitSession.LOST_CONNECTION_STATE, "Lost connection to the primary server '" + b.server.name()
                            + "'" + (owner.trx.open() ? " during a transaction" : "") + ": " + reason
                            + (owner.config.transactionReplay().enabled() && inReadWriteTransaction
                            ? "; not replayed: " + notReplayed : ""));
                }
                owner.session.closeSession("primary " + b.server.name() + " failed: " + reason);
                return;
            }
        }
        if (owner.causal.internalFailed(b)) {
            return;
        }
        if (b == owner.readOnlyTrxBackend) {
            owner.readOnlyTrxBackend = null;
            if (r != null && r.answering.contains(b)) {
                owner.trx.reset();
                failRequest(r, "Lost connection to replica '" + b.server.name()
                        + "' during a read-only transaction: " + reason);
                return;
            }
            owner.trx.reset();
        }
        if (r == null) {
            return;
        }
        if (r.waitingFor == b) {
            owner.redispatch(r);
            return;
        }
        if (!r.answering.remove(b)) {
            return;
        }
        r.targets.remove(b);
        if (b == r.source) {
            if (!r.bytesToClient && r.retry != null && owner.config.retryFailedReads() && r.targets.isEmpty()) {
                owner.router.retriedReads.increment();
                r.excluded.add(b);
                ByteBuf again = r.retry;
                r.retry = r.statement != null ? again.copy() : again.retainedDuplicate();
                owner.dispatch(r, again);
                owner.finishIfDone(r);
                return;
            }
            if (!r.bytesToClient && !r.targets.isEmpty()) {
                // a session command: another connection's reply goes to the client instead
                r.source = r.targets.contains(owner.primary) ? owner.primary : r.targets.get(0);
            } else {
                failRequest(r, "Lost connection to backend server '" + b.server.name() + "' during query: "
                        + reason);
                return;
            }
        }
        if (r.answering.isEmpty()) {
            owner.finish(r);
        }
    }

    /** The reply to the client cannot be completed: an ERR instead, then the session goes on. */
    private void failRequest(Request r, String message) {
        r.source = null;
        owner.session.replyError(ReadWriteSplitSession.ER_CONNECTION_KILLED, ReadWriteSplitSession.LOST_CONNECTION_STATE, message);
        if (r.answering.isEmpty()) {
            owner.finish(r);
        }
    }
}
