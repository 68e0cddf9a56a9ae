package dev.sluice.modules.readwritesplit;

import dev.sluice.api.reply.Reply;
import dev.sluice.api.router.Endpoint;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.api.server.Server;
import dev.sluice.protocol.Capability;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's readwritesplit session: owns the connections and the request in flight, and hands each job to
 * its collaborator: {@link ClientRequests} (taking the client's requests, one in flight at a time, the rest
 * queued until the reply in progress is complete on every connection it went to), {@link TargetDecider} (where a
 * statement goes), {@link BackendSelection} (which connection), {@link SessionCommandRouting} (session commands
 * and their history), {@link SessionTracking} (what the servers' OK packets say about the session),
 * {@link CausalReadRouting}, {@link PreparedStatementRouting}, {@link BackendFailures}, {@link DelayedRetry},
 * {@link ServerBackoff} (servers kept away from for a while) and {@link Explain}.
 * Collaborators read and write the package-private fields below. Confined to the session's worker.
 */
final class ReadWriteSplitSession implements RouterSession {
    /** ER_OPTION_PREVENTS_STATEMENT: the server runs with --read-only (a switchover is demoting it). */
    static final int ER_OPTION_PREVENTS_STATEMENT = 1290;
    /**
     * The code (ER_CONNECTION_KILLED) and SQLSTATE of readwritesplit's own "lost connection" and "no server"
     * errors. Not the client-side codes 2013 / 2003: MariaDB Connector/C 3.3 (sysbench, PHP, Python…) turns an
     * ERR packet with a code in 2000-2999 into its own error 2027 "Received malformed packet".
     */
    static final int ER_CONNECTION_KILLED = 1927;
    static final String LOST_CONNECTION_STATE = "08S01";
    /** ER_SERVER_SHUTDOWN: the server is shutting down (it closes the connection). */
    private static final int ER_SERVER_SHUTDOWN = 1053;

    final ReadWriteSplit router;
    final ReadWriteSplitConfig config;
    final RouterSessionContext session;
    final BackendSelection selection;
    final SessionCommandRouting sessionCommands;
    final CausalReadRouting causal;
    final PreparedStatementRouting prepared;
    final TransactionReplay replay;
    final OptimisticTransaction optimistic;
    final SessionTracking tracking;
    private final BackendFailures failures;
    private final DelayedRetry delayedRetry;
    final ServerBackoff backoff;
    final Explain explain;
    private final ClientRequests requests;
    // all below: confined to the session's worker
    final List<Backend> backends = new ArrayList<>(3);
    Backend primary;
    final TransactionState trx = new TransactionState();
    final SessionCommandHistory history;
    final PreparedStatements statements = new PreparedStatements();
    final SessionState state;
    final HintStack hints = new HintStack();
    List<Backend> continuationTargets = List.of();
    Request current;
    Backend lastUsed;
    Backend readOnlyTrxBackend;
    private boolean started;
    private int startPending;
    boolean closed;

    ReadWriteSplitSession(ReadWriteSplit router, RouterSessionContext session) {
        this.router = router;
        this.config = router.config();
        this.session = session;
        this.state = new SessionState(config, trx, session::queryContext);
        this.history = new SessionCommandHistory(config.maxSescmdHistory(), config.pruneSescmdHistory(),
                config.disableSescmdHistory());
        this.selection = new BackendSelection(this);
        this.sessionCommands = new SessionCommandRouting(this, history);
        this.causal = new CausalReadRouting(this);
        this.prepared = new PreparedStatementRouting(this, statements);
        this.replay = new TransactionReplay(this);
        this.optimistic = new OptimisticTransaction(this);
        this.tracking = new SessionTracking(this);
        this.failures = new BackendFailures(this);
        this.delayedRetry = new DelayedRetry(this);
        this.backoff = new ServerBackoff(this);
        this.explain = new Explain(this);
        this.requests = new ClientRequests(this);
    }

    // ---- session start

    @Override
    public void start() {
        Server primaryServer = selection.findPrimaryServer();
        List<Server> replicas = new ArrayList<>();
        if (!config.lazyConnect()) {
            int limit = Math.min(config.slaveConnections(), config.maxSlaveConnections());
            for (Server s : session.servers()) {
                if (replicas.size() < limit && s != primaryServer && s.status().isSlave()
                        && router.selector().readable(s.status())) {
                    replicas.add(s);
                }
            }
        }
        if (primaryServer == null && (config.failInstantly() || replicas.isEmpty())) {
            session.fail(2003, "HY000", "readwritesplit: no primary server is available"
                    + (replicas.isEmpty() ? " and no replica either" : " (master_failure_mode=fail_instantly)"));
            return;
        }
        startPending = (primaryServer == null ? 0 : 1) + replicas.size();
        if (primaryServer != null) {
            connect(primaryServer, true);
        }
        for (Server s : replicas) {
            connect(s, false);
        }
    }

    private void startStepDone() {
        if (started || --startPending > 0) {
            return;
        }
        started = true;
        if (primary != null && primary.ready()) {
            session.ready();
        } else if (!config.failInstantly() && firstReady() != null) {
            session.ready();
        } else {
            session.fail(2003, "HY000", "readwritesplit: could not connect to the primary server"
                    + (config.failInstantly() ? " (master_failure_mode=fail_instantly)" : ""));
        }
    }

    // ---- connections

    Backend connect(Server server, boolean asPrimary) {
        Backend b = new Backend(server, asPrimary);
        backends.add(b);
        if (asPrimary) {
            primary = b;
        }
        router.stats(server).connections.incrementAndGet();
        session.connect(server, Capability.SESSION_TRACK, new RouterSessionContext.ConnectListener() {
            @Override
            public void connected(Endpoint endpoint) {
                b.endpoint = endpoint;
                b.rewriteOks = SessionTracking.rewritesOks(endpoint, session);
                if (closed) {
                    return;
                }
                sessionCommands.startReplay(b);
            }

            @Override
            public void failed(String reason) {
                if (b.state == Backend.State.CLOSED) {
                    return;
                }
                remove(b);
                if (b == primary) {
                    primary = null;
                }
                if (replay.isTarget(b)) {
                    replay.targetUnreachable();
                } else if (!started) {
                    startStepDone();
                } else if (current != null && current.waitingFor == b) {
                    redispatch(current);
                }
            }
        });
        return b;
    }

    /** Whether the client is waiting for a reply (to the request in flight, or to one it pipelined). */
    boolean clientWaiting(Request r) {
        return r != null && current == r || requests.queued();
    }

    /** A connection caught up with the history: the request waiting for it goes on. */
    void backendReady(Backend b) {
        if (!started) {
            startStepDone();
            return;
        }
        if (!history.intact()) {
            // commands were lost while it caught up
            dropAndRedispatch(b, "the session command history overflowed");
            return;
        }
        if (replay.isTarget(b)) {
            replay.targetReady();
        } else if (current != null && current.waitingFor == b) {
            resume(current, b);
        }
    }

    /** Closes a connection whose state diverged from the session's and forgets it. */
    void drop(Backend b, String reason) {
        router.droppedReplicas.increment();
        discard(b);
    }

    /** Closes a connection the session no longer wants (idle) and forgets it. */
    void discard(Backend b) {
        if (b.endpoint != null) {
            b.endpoint.close();
        }
        remove(b);
        if (b == primary) {
            primary = null;
        }
    }

    /** {@link #drop}, and the request (or transaction replay) that waited for that connection goes on. */
    void dropAndRedispatch(Backend b, String reason) {
        drop(b, reason);
        if (replay.isTarget(b)) {
            replay.targetLost(reason);
        } else if (current != null && current.waitingFor == b) {
            redispatch(current);
        }
    }

    private void remove(Backend b) {
        if (b.state == Backend.State.CLOSED) {
            return;
        }
        b.state = Backend.State.CLOSED;
        backends.remove(b);
        endOperation(b);
        router.stats(b.server).connections.decrementAndGet();
        statements.forget(b);
        backoff.lost(b.server);
        if (b == lastUsed) {
            lastUsed = null;
        }
    }

    private Backend byEndpoint(Endpoint endpoint) {
        for (int i = 0; i < backends.size(); i++) {
            if (backends.get(i).endpoint == endpoint) {
                return backends.get(i);
            }
        }
        return null;
    }

    Backend byServer(Server server) {
        for (Backend b : backends) {
            if (b.server == server) {
                return b;
            }
        }
        return null;
    }

    Backend firstReady() {
        for (Backend b : backends) {
            if (b.ready()) {
                return b;
            }
        }
        return null;
    }

    // ---- requests from the client: see ClientRequests

    @Override
    public void routeQuery(dev.sluice.api.chain.Request request) {
        requests.routeQuery(request);
    }

    void processQueue() {
        requests.processQueue();
    }

    /** COM_CHANGE_USER reset every connection: the history and what the session knew of its state are void. */
    @Override
    public void userChanged() {
        requests.forgetSessionState();
        tracking.restoreAll(); // COM_CHANGE_USER reset the servers' session_track_* settings too
    }

    // ---- single-target routing

    /** Routes to the decision's target, waiting for a connection to open first if need be. */
    void dispatch(Request r, ByteBuf packet) {
        Backend b = selection.resolve(r);
        if (b == null) {
            noTarget(r, packet);
            return;
        }
        if (!b.ready()) {
            r.parked = packet;
            r.waitingFor = b;
            return;
        }
        send(r, b, packet);
    }

    /** The connection a parked request waited for failed: route it again (elsewhere). */
    void redispatch(Request r) {
        resume(r, null);
    }

    /** Sends a parked request: to {@code ready}, or through a new routing decision when that is null. */
    void resume(Request r, Backend ready) {
        ByteBuf p = r.parked;
        r.parked = null;
        r.waitingFor = null;
        if (r.decision.target() == RouteTarget.ALL) {
            sessionCommands.sendToAll(r, p);
        } else if (ready != null) {
            send(r, ready, p);
        } else {
            dispatch(r, p);
        }
        finishIfDone(r);
        processQueue();
    }

    /**
     * No connection can take the request: it waits (delayed_retry) or the client gets an error. Takes ownership
     * of {@code packet}.
     */
    void noTarget(Request r, ByteBuf packet) {
        if (!(r.decision.isRead() && trx.readOnlyTransaction()) && delayedRetry.park(r, packet)) {
            return;
        }
        packet.release();
        current = null;
        if (r.decision.isRead() && !trx.readOnlyTransaction()) {
            session.replyError(ER_CONNECTION_KILLED, LOST_CONNECTION_STATE, "readwritesplit: no server is available for a read");
            return;
        }
        if (r.decision.isRead()) {
            trx.reset();
            session.replyError(ER_CONNECTION_KILLED, LOST_CONNECTION_STATE,
                    "readwritesplit: lost the replica of the read-only transaction; it was rolled back");
            return;
        }
        if (config.errorOnWrite()) {
            session.replyError(1290, "HY000", "The MariaDB server is running with the --read-only option so it "
                    + "cannot execute this statement (readwritesplit has no primary server)");
            return;
        }
        session.replyError(ER_CONNECTION_KILLED, LOST_CONNECTION_STATE, "readwritesplit: the primary server is not available"
                + (trx.open() ? " during a transaction" : "") + "; closing the session (master_failure_mode="
                + config.masterFailureMode() + ")");
        session.closeSession("no primary server");
    }

    /** Sends a request to one connection; the packet is in the client's form (client statement ids). */
    void send(Request r, Backend b, ByteBuf packet) {
        if (causal.waitBeforeSend(r, b, packet)) {
            return;
        }
        sendNow(r, b, packet);
    }

    void sendNow(Request r, Backend b, ByteBuf packet) {
        causal.sending(r, b);
        if ((b.primary || b == optimistic.backend) && replay.records(r, packet)) {
            r.replayCopy = packet.copy(); // in the client's form: a replay maps statement ids again
        } else if (b.primary && config.delayedRetry() && !r.decision.isRead() && !trx.open() && r.writeCopy == null
                && (r.command == Command.COM_QUERY || r.command == Command.COM_STMT_EXECUTE)
                && Packets.payloadLength(packet) < Packets.MAX_PAYLOAD) {
            r.writeCopy = packet.copy();
        }
        if (r.statement != null) {
            packet = PreparedStatementRouting.forBackend(r.statement, b, packet);
            r.statement.lastExecuted = b;
        }
        if (b.primary) {
            router.routeMaster.increment();
        } else {
            router.routeSlave.increment();
        }
        ServerStats stats = router.stats(b.server);
        stats.total.increment();
        (r.decision.isRead() ? stats.reads : stats.writes).increment();
        r.targets.clear();
        r.targets.add(b);
        r.source = b;
        write(r, b, packet);
        continuationTargets = r.targets;
    }

    void write(Request r, Backend b, ByteBuf packet) {
        r.written = true;
        b.newReply();
        if (!Command.expectsNoReply(r.command)) {
            r.answering.add(b);
            b.operationCounted = true;
            b.sentAtNanos = System.nanoTime();
            router.stats(b.server).operations.incrementAndGet();
        }
        b.endpoint.write(packet, r.command);
    }

    private void endOperation(Backend b) {
        if (b.operationCounted) {
            b.operationCounted = false;
            ServerStats stats = router.stats(b.server);
            stats.operations.decrementAndGet();
            stats.replyTime(System.nanoTime() - b.sentAtNanos);
        }
    }

    // ---- replies

    @Override
    public void clientReply(ByteBuf packet, Endpoint endpoint, Reply reply) {
        Backend b = byEndpoint(endpoint);
        if (b == null || closed) {
            packet.release();
            return;
        }
        if (b.pendingSetups > 0) {
            tracking.setUpReply(b, packet, reply);
            return;
        }
        if (b.internal != null) {
            causal.internalReply(b, packet, reply);
            return;
        }
        boolean replyComplete = reply.isComplete();
        b.noteReply(reply);
        if (b.state == Backend.State.REPLAYING) {
            packet.release();
            if (replyComplete) {
                sessionCommands.replayReplyComplete(b);
            }
            return;
        }
        if (replay.isTarget(b)) {
            replay.reply(packet, reply);
            return;
        }
        Request r = current;
        if (r == null || !r.answering.contains(b)) {
            packet.release();
            return;
        }
        if (b == r.source && b.primary && !r.bytesToClient && replyComplete && r.replayCopy != null
                && (b.replyErrorCode == ER_CONNECTION_KILLED || b.replyErrorCode == ER_SERVER_SHUTDOWN)) {
            // the server killed the connection (KILL CONNECTION, shutdown) and closes it: as its loss, so that the
            // transaction is replayed rather than the client getting the server's farewell error
            packet.release();
            Endpoint e = b.endpoint;
            endpointFailed(e, "the server killed the connection (error " + b.replyErrorCode + ")", false);
            e.close();
            return;
        }
        if (b == r.source && b.primary && !r.bytesToClient && replyComplete
                && b.replyErrorCode == ER_OPTION_PREVENTS_STATEMENT && delayedRetry.readOnlyRejected(r, b)) {
            packet.release();
            return;
        }
        if (b == r.source && r.replayCopy != null) {
            if (!r.bytesToClient && replyComplete && replay.deadlock(r, b)) {
                packet.release();
                endOperation(b);
                return;
            }
            replay.replyToClient(packet, reply);
        }
        if (b == r.source) {
            r.bytesToClient = true;
            if (b.rewriteOks && reply.packetIsOk()) {
                packet = SessionTracking.forClient(b, packet);
            }
            PreparedStatementRouting.keep(r, packet);
            if (replyComplete && causal.holdsLastPacket(b)) {
                r.held = packet;
            } else {
                session.writeToClient(packet);
            }
        } else {
            packet.release();
        }
        if (replyComplete) {
            endOperation(b);
            r.answering.remove(b);
            if (r.answering.isEmpty()) {
                finish(r);
            }
        }
    }

    /** Settles the request if it was sent and every connection it went to has answered. */
    void finishIfDone(Request r) {
        if (current == r && r.written && r.answering.isEmpty()) {
            finish(r);
        }
    }

    /** Every connection the request went to has answered (or failed): settle the session state. */
    void finish(Request r) {
        Backend src = r.source;
        sessionCommands.dropDiverged(r, src);
        boolean ok = src != null && !src.replyFailed;
        if (r.command == Command.COM_STMT_PREPARE && ok) {
            prepared.prepared(r, src);
        }
        prepared.textPrepareDone(r, ok);
        sessionCommands.remember(r, src);
        tracking.restoreAfter(r);
        replay.statementDone(r);
        if (src != null && !r.explain && src.endpoint != null && r.command != Command.COM_STMT_PREPARE) {
            trx.afterReply(ok, src.endpoint.statusFlags());
            tracking.afterReply(src);
            if (!trx.readOnlyTransaction()) {
                readOnlyTrxBackend = null;
            }
            if (!trx.open()) {
                replay.transactionEnded();
                optimistic.ended();
            }
        }
        if (src != null && r.targets.size() == 1) {
            lastUsed = src;
        }
        ByteBuf held = r.held;
        r.held = null;
        r.releaseBuffers();
        r.held = held; // released with the request if the session closes first
        // with causal_reads the end of a write's reply reaches the client once its GTID is known
        if (!causal.learnGtidAfter(r, src, () -> complete(r))) {
            complete(r);
        }
    }

    /** The request is over: the held end of its reply goes to the client and the next request may start. */
    private void complete(Request r) {
        ByteBuf h = r.held;
        r.held = null;
        if (h != null) {
            session.writeToClient(h);
        }
        if (current == r) {
            current = null;
        }
        processQueue();
    }

    // ---- failures

    @Override
    public void endpointFailed(Endpoint endpoint, String reason, boolean replyInProgress) {
        Backend b = byEndpoint(endpoint);
        if (b == null || closed) {
            return;
        }
        boolean wasPrimary = b == primary;
        boolean opening = b.state != Backend.State.READY;
        remove(b);
        if (wasPrimary) {
            primary = null;
        }
        failures.failed(b, wasPrimary, reason);
        if (opening && !started && !closed) {
            startStepDone(); // lost while it set up tracking or replayed, before the session started
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        replay.cancel();
        if (current != null) {
            current.releaseBuffers();
            current = null;
        }
        requests.releaseQueued();
        history.releaseAll();
        statements.clear(); // reuse_prepared_statements keeps copies of prepare replies
        for (Backend b : new ArrayList<>(backends)) {
            remove(b);
        }
    }
}
