package dev.sluice.modules.readwritesplit;

import dev.sluice.api.reply.Reply;
import dev.sluice.api.query.QueryType;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * transaction_replay for one session. While a read-write transaction is open it records every statement sent to
 * the primary (a copy of the request in the client's form) and the checksum of the reply the client received.
 * When the primary is lost mid-transaction (or, with transaction_replay_retry_on_deadlock, the transaction is a
 * deadlock victim) it waits for a primary (the monitor's current one, a promoted replica connection or the
 * restarted server), lets the session command history replay there, re-runs the recorded statements one at a
 * time without showing their replies to the client, and compares each reply's checksum with the recorded one.
 * All equal: the statement that was interrupted (if any) is sent and the client carries on unaware. A
 * difference closes the session with an error (or starts over with transaction_replay_retry_on_mismatch), so the
 * client never silently sees another transaction than the one it ran.
 *
 * <p>Never replayed: a statement part of whose reply already reached the client, a COMMIT (or other statement
 * ending the transaction) whose outcome is unknown when transaction_replay_safe_commit is on, a transaction
 * larger than transaction_replay_max_size, or one that used a command that cannot be re-sent (LOCAL INFILE data,
 * 16 MiB+ packets, COM_STMT_FETCH). Recorded buffers are released when the transaction ends, when a replay ends
 * and when the session closes. Confined to the session's worker.
 */
final class TransactionReplay {
    private static final Logger logger = LoggerFactory.getLogger(TransactionReplay.class);
    private static final long RETRY_INTERVAL_MILLIS = 200;
    private static final int ER_LOCK_DEADLOCK = 1213;

    /** One statement of the open transaction and the checksum of the reply the client got. */
    private record Entry(ByteBuf packet, int command, PreparedStatements.Statement statement, byte[] checksum) {
    }

    private final ReadWriteSplitSession owner;
    private final ReadWriteSplitConfig.TransactionReplayConfig config;
    private final ReplyChecksum checksum;
    // all below: confined to the session's worker
    private final List<Entry> log = new ArrayList<>();
    private long size;
    /** False once the open transaction cannot be replayed (too large, or a command that cannot be re-sent). */
    private boolean replayable = true;
    private boolean active;
    /** The client request to send once the transaction is replayed, and its packet; or null. */
    private Request interrupted;
    private ByteBuf interruptedPacket;
    /** The primary connection the transaction is replayed on, and the entry whose reply it is giving. */
    private Backend target;
    private int position;
    private int attempts;
    private long deadlineNanos;
    private Runnable timer;

    TransactionReplay(ReadWriteSplitSession owner) {
        this.owner = owner;
        this.config = owner.config.transactionReplay();
        this.checksum = new ReplyChecksum(ReplyChecksum.Mode.of(config.checksum()));
    }

    // ---- recording

    /** Whether a request now sent to the primary is recorded: a read-write transaction is open. */
    boolean records(Request r, ByteBuf packet) {
        if (!config.enabled() || active || !replayable || !owner.trx.open() || owner.trx.readOnlyTransaction()) {
            return false;
        }
        if (r.command != Command.COM_QUERY && r.command != Command.COM_STMT_EXECUTE
                || Packets.payloadLength(packet) >= Packets.MAX_PAYLOAD) {
            notReplayable();
            return false;
        }
        return true;
    }

    /** Something was sent that a replay could not send again: this transaction will not be replayed. */
    void notReplayable() {
        if (config.enabled() && owner.trx.open() && !active) {
            replayable = false;
            releaseLog();
        }
    }

    /** A packet of the reply to a recorded request, before it goes to the client (not consumed). */
    void replyToClient(ByteBuf packet, Reply reply) {
        checksum.update(packet, reply);
    }

    /** The recorded request is complete: it joins the log with its reply's checksum. */
    void statementDone(Request r) {
        ByteBuf copy = r.replayCopy;
        if (copy == null) {
            return;
        }
        r.replayCopy = null;
        byte[] sum = checksum.finish();
        if (!replayable) {
            copy.release();
            return;
        }
        size += copy.readableBytes();
        if (size > config.maxSize()) {
            copy.release();
            owner.router.trxMaxSizeExceeded.increment();
            replayable = false;
            releaseLog();
            return;
        }
        log.add(new Entry(copy, r.command, r.statement, sum));
    }

    /** No transaction is open any more: forget it. */
    void transactionEnded() {
        if (active) {
            return;
        }
        releaseLog();
        replayable = true;
        attempts = 0;
    }

    private void releaseLog() {
        for (Entry e : log) {
            e.packet.release();
        }
        log.clear();
        size = 0;
    }

    // ---- starting a replay

    /**
     * The primary was lost while a read-write transaction was open. Returns null when the replay has started
     * (the session goes on), else why the transaction cannot be replayed.
     */
    String primaryLost(Request r, Backend lost) {
        if (!config.enabled()) {
            return "transaction_replay is off";
        }
        if (!replayable) {
            return "the transaction cannot be replayed (larger than transaction_replay_max_size, or it used "
                    + "LOCAL INFILE, 16 MiB+ packets or cursors)";
        }
        ByteBuf packet = null;
        if (r != null && r.waitingFor == lost) {
            packet = r.parked;
            r.parked = null;
            r.waitingFor = null;
        } else if (r != null && r.answering.contains(lost)) {
            if (r.bytesToClient) {
                return "part of the statement's result had already reached the client";
            }
            if (r.replayCopy == null || r.targets.size() > 1) {
                return "the statement in progress cannot be replayed";
            }
            if (endsTransaction(r) && config.safeCommit()) {
                return "the outcome of the COMMIT is unknown (transaction_replay_safe_commit=true)";
            }
            packet = r.replayCopy;
            r.replayCopy = null;
            checksum.finish();
            r.answering.remove(lost);
        } else if (r != null) {
            return "a request was in progress elsewhere";
        }
        begin(r, packet);
        attemptSoon();
        return null;
    }

    /**
     * optimistic_trx: the transaction ran on a replica until this write; it is replayed on the primary, then the
     * write is sent there. Takes ownership of {@code packet}.
     */
    void migrate(Request r, ByteBuf packet) {
        if (!replayable) {
            // too large to replay: the client cannot be given the same transaction on the primary
            packet.release();
            owner.current = null;
            owner.session.replyError(ReadWriteSplitSession.ER_CONNECTION_KILLED, ReadWriteSplitSession.LOST_CONNECTION_STATE, "readwritesplit: the optimistic transaction cannot move to the "
                    + "primary (larger than transaction_replay_max_size); closing the session");
            owner.session.closeSession("optimistic transaction too large to replay");
            return;
        }
        begin(r, packet);
        attempt();
    }

    /**
     * A statement of a replayable transaction got a deadlock error (transaction_replay_retry_on_deadlock): the
     * server rolled the transaction back, so it is replayed on the same primary and the statement sent again;
     * the client does not see the error. Returns false when the error must go to the client.
     */
    boolean deadlock(Request r, Backend b) {
        if (!config.enabled() || !config.retryOnDeadlock() || !replayable || active || r.replayCopy == null
                || r.bytesToClient || b.replyErrorCode != ER_LOCK_DEADLOCK || attempts >= config.attempts()) {
            return false;
        }
        ByteBuf packet = r.replayCopy;
        r.replayCopy = null;
        checksum.finish();
        r.answering.remove(b);
        begin(r, packet);
        attempts++;
        target = b;
        position = 0;
        sendNext();
        return true;
    }

    /**
     * The primary rejected a statement of a replayable transaction as read-only (a switchover is demoting it): the
     * statement was not applied. The connection is closed (the server rolls the transaction back) and the
     * transaction is replayed on the next primary, then the statement is sent there. False when the error must go
     * to the client.
     */
    boolean readOnly(Request r, Backend b) {
        if (!config.enabled() || !replayable || active || r.replayCopy == null || r.bytesToClient
                || r.targets.size() > 1 || owner.closed) {
            return false;
        }
        ByteBuf packet = r.replayCopy;
        r.replayCopy = null;
        checksum.finish();
        r.answering.remove(b);
        owner.backoff.markReadOnly(b.server);
        owner.discard(b);
        begin(r, packet);
        attemptSoon();
        return true;
    }

    /**
     * {@link #attempt} from a timer of the session rather than now: the loss of the primary is handled inside the
     * handling of that connection's reply or failure, and a connection that was just closed gives no end-of-read
     * event after which the session flushes what was written meanwhile. A replay sent now to another connection
     * (a replica connection promoted to primary) could sit unflushed, and the client wait forever; a timer's task
     * is always followed by a flush.
     */
    private void attemptSoon() {
        timer = owner.session.schedule(0, this::attempt);
    }

    private static boolean endsTransaction(Request r) {
        long t = r.info == null ? 0 : r.info.types();
        return (t & (QueryType.COMMIT | QueryType.IMPLICIT_COMMIT | QueryType.ENABLE_AUTOCOMMIT)) != 0;
    }

    private void begin(Request r, ByteBuf packet) {
        logger.debug("Session {}: replaying a transaction of {} statements{}", owner.session.sessionId(), log.size(),
                packet == null ? "" : " before the interrupted one");
        active = true;
        interrupted = r;
        interruptedPacket = packet;
        if (r == null) {
            // the client is idle: a placeholder keeps its next requests queued until the replay is over
            r = new Request(Command.COM_QUERY);
            r.decision = RoutingDecision.of(RouteTarget.PRIMARY, "transaction replay");
            owner.current = r;
        }
        r.targets.clear();
        r.source = null;
        r.written = false;
        deadlineNanos = System.nanoTime() + config.timeout().toNanos();
    }

    /** Finds (or waits for) a primary to replay on. */
    private void attempt() {
        timer = null;
        if (!active || owner.closed) {
            return;
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            fail("no primary server became available within transaction_replay_timeout ("
                    + config.timeout().toSeconds() + "s)");
            return;
        }
        Backend b = owner.selection.primaryBackend(true);
        if (b == null) {
            timer = owner.session.schedule(RETRY_INTERVAL_MILLIS, this::attempt);
            return;
        }
        target = b;
        position = 0;
        if (b.ready()) {
            sendNext();
        } // else the session calls targetReady once it caught up with the history
    }

    // ---- the replay

    boolean isTarget(Backend b) {
        return active && b == target;
    }

    /** The new primary connection caught up with the session command history. */
    void targetReady() {
        sendNext();
    }

    /**
     * The new primary could not be connected (the monitor may not have seen it go down yet, or it is starting
     * up): try again after the retry interval, until transaction_replay_timeout.
     */
    void targetUnreachable() {
        target = null;
        timer = owner.session.schedule(RETRY_INTERVAL_MILLIS, this::attempt);
    }

    /** The connection being replayed on failed or was dropped: try again (transaction_replay_attempts). */
    void targetLost(String reason) {
        target = null;
        checksum.finish();
        if (++attempts >= config.attempts()) {
            fail("the primary failed during the replay " + attempts + " times (transaction_replay_attempts): "
                    + reason);
            return;
        }
        attempt();
    }

    private void sendNext() {
        if (position == log.size()) {
            done();
            return;
        }
        Entry e = log.get(position);
        ByteBuf p = e.packet.copy();
        if (e.statement != null) {
            p = PreparedStatementRouting.forBackend(e.statement, target, p);
        }
        target.newReply();
        target.endpoint.write(p, e.command);
    }

    /** A packet of the reply to a replayed statement; takes ownership of {@code packet}. */
    void reply(ByteBuf packet, Reply reply) {
        try {
            checksum.update(packet, reply);
        } finally {
            packet.release();
        }
        if (!reply.isComplete()) {
            return;
        }
        if (!Arrays.equals(checksum.finish(), log.get(position).checksum)) {
            if (target.replyErrorCode == ReadWriteSplitSession.ER_OPTION_PREVENTS_STATEMENT) {
                // the server replayed on is read-only (being demoted): roll back there, replay on the next primary
                Backend b = target;
                target = null;
                logger.debug("Session {}: {} is read-only; the replay waits for the next primary",
                        owner.session.sessionId(), b);
                owner.backoff.markReadOnly(b.server);
                owner.discard(b);
                timer = owner.session.schedule(RETRY_INTERVAL_MILLIS, this::attempt);
                return;
            }
            mismatch();
            return;
        }
        position++;
        sendNext();
    }

    private void mismatch() {
        owner.router.replayMismatches.increment();
        if (config.retryOnMismatch() && ++attempts < config.attempts()) {
            Backend b = target;
            target = null;
            owner.discard(b); // a fresh connection starts the transaction again
            attempt();
            return;
        }
        fail("checksum mismatch: statement " + (position + 1) + " of the transaction gave a different result "
                + "on the new primary than the client saw, so the transaction cannot be continued");
    }

    private void done() {
        logger.debug("Session {}: transaction replayed on {}", owner.session.sessionId(), target);
        owner.router.replayedTransactions.increment();
        active = false;
        target = null;
        attempts = 0;
        Request r = interrupted;
        ByteBuf p = interruptedPacket;
        interrupted = null;
        interruptedPacket = null;
        if (r == null) {
            owner.current = null;
            owner.processQueue();
            return;
        }
        owner.dispatch(r, p);
        owner.finishIfDone(r);
    }

    private void fail(String why) {
        boolean clientWaiting = owner.clientWaiting(interrupted);
        cancel();
        if (clientWaiting) {
            owner.session.replyError(ReadWriteSplitSession.ER_CONNECTION_KILLED, ReadWriteSplitSession.LOST_CONNECTION_STATE, "Lost connection to the primary server during a transaction; "
                    + "transaction replay failed: " + why);
        }
        owner.session.closeSession("transaction replay failed: " + why);
    }

    /** The session closes (or the replay gave up): release what is held. */
    void cancel() {
        active = false;
        target = null;
        if (timer != null) {
            timer.run();
            timer = null;
        }
        if (interruptedPacket != null) {
            interruptedPacket.release();
            interruptedPacket = null;
        }
        interrupted = null;
        releaseLog();
    }
}
