package dev.sluice.modules.readwritesplit;

import io.netty.buffer.ByteBuf;

/**
 * delayed_retry: a request no server can take right now (no primary: it died, or the monitor has not named a
 * new one yet) waits instead of failing. It is routed again every {@value #RETRY_INTERVAL_MILLIS} ms, on the
 * session's worker, so that it picks up the monitor's latest view; after delayed_retry_timeout it fails the
 * usual way (master_failure_mode). Only requests that were not sent wait: a request already sent is never sent
 * again (its outcome is unknown when its server dies). Confined to the session's worker.
 */
final class DelayedRetry {
    static final long RETRY_INTERVAL_MILLIS = 200;

    private final ReadWriteSplitSession owner;

    DelayedRetry(ReadWriteSplitSession owner) {
        this.owner = owner;
    }

    /**
     * Parks a request that found no target, taking ownership of {@code packet}; false (the packet untouched)
     * when delayed_retry is off or the request has waited delayed_retry_timeout already.
     */
    boolean park(Request r, ByteBuf packet) {
        if (!owner.config.delayedRetry() || owner.closed) {
            return false;
        }
        long now = System.nanoTime();
        if (r.delayedSinceNanos == 0) {
            r.delayedSinceNanos = now;
            owner.router.delayedRetries.increment();
        } else if (now - r.delayedSinceNanos > owner.config.delayedRetryTimeout().toNanos()) {
            return false;
        }
        r.parked = packet;
        r.waitingFor = null;
        owner.session.schedule(RETRY_INTERVAL_MILLIS, () -> retry(r));
        return true;
    }

    private void retry(Request r) {
        if (owner.closed || owner.current != r || r.parked == null || r.waitingFor != null) {
            return;
        }
        owner.resume(r, null);
    }

    /**
     * The primary rejected the request as read-only: it was not applied, so with delayed_retry an autocommit write
     * waits for the next primary (the monitor publishes it once the switchover is over) and goes there, and with
     * transaction_replay the transaction is rolled back here (the connection is closed) and replayed on the next
     * primary before the request is sent there. False when the error must go to the client.
     */
    boolean readOnlyRejected(Request r, Backend b) {
        if (r.replayCopy != null) {
            return owner.replay.readOnly(r, b);
        }
        if (r.writeCopy == null || owner.trx.open() || !owner.config.delayedRetry() || owner.closed) {
            return false;
        }
        ByteBuf again = r.writeCopy;
        r.writeCopy = null;
        owner.backoff.markReadOnly(b.server);
        r.answering.remove(b);
        owner.discard(b);
        r.targets.clear();
        r.source = null;
        r.written = false;
        // routed again from a timer: the connection just closed gives no end-of-read event to flush a write to
        // another connection (see TransactionReplay.attemptSoon)
        r.parked = again;
        owner.session.schedule(0, () -> {
            if (!owner.closed && owner.current == r && r.parked == again) {
                owner.resume(r, null);
            }
        });
        return true;
    }
}
