package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import dev.sluice.api.router.Endpoint;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.api.server.Server;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One client's readwritesplit session: connects the primary and replicas, routes each request by the decision
 * of {@link TargetDecider}, sends session commands everywhere and keeps their history, maps binary prepared
 * statements, and hides replica failures. One request is in flight at a time; requests the client pipelines
 * wait in a queue until the reply in progress is complete (on every connection it went to). Confined to the
 * session's worker.
 */
final class ReadWriteSplitSession implements RouterSession {
    private static final byte[] EXPLAIN_PREFIX = "/* sluice explain */".getBytes(StandardCharsets.US_ASCII);
    private static final long RECONNECT_BACKOFF_NANOS = 5_000_000_000L;

    private record Queued(ByteBuf packet, int command) {
    }

    private final ReadWriteSplit router;
    private final ReadWriteSplitConfig config;
    private final RouterSessionContext session;
    // all below: confined to the session's worker
    private final List<Backend> backends = new ArrayList<>(3);
    private Backend primary;
    private final TransactionState trx = new TransactionState();
    private final SessionCommandHistory history;
    private final PreparedStatements statements = new PreparedStatements();
    private final Map<String, QueryInfo> textPrepared = new HashMap<>();
    private final Set<String> temporaryTables = new HashSet<>();
    private QueryContext queryContext = QueryContext.DEFAULT;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final Map<String, Long> failedAtNanos = new HashMap<>();
    private List<Backend> continuationTargets = List.of();
    private Request current;
    private Backend lastUsed;
    private Backend readOnlyTrxBackend;
    private long lastPreparedId = -1;
    private boolean started;
    private int startPending;
    private boolean closed;
    private final CausalReads.Mode causal;
    /** causal_reads: the session's last GTID (from {@code @@last_gtid}), and whether a write followed it. */
    private String sessionGtid = "";
    private boolean wroteSinceGtid;

    ReadWriteSplitSession(ReadWriteSplit router, RouterSessionContext session) {
        this.router = router;
        this.config = router.config();
        this.session = session;
        this.causal = router.causalMode();
        this.history = new SessionCommandHistory(config.maxSescmdHistory(), config.pruneSescmdHistory(),
                config.disableSescmdHistory());
    }

    // ---- session start

    @Override
    public void start() {
        Server primaryServer = findPrimaryServer();
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
        } else if (!config.failInstantly() && anyReady()) {
            session.ready();
        } else {
            session.fail(2003, "HY000", "readwritesplit: could not connect to the primary server"
                    + (config.failInstantly() ? " (master_failure_mode=fail_instantly)" : ""));
        }
    }

    private boolean anyReady() {
        for (Backend b : backends) {
            if (b.ready()) {
                return true;
            }
        }
        return false;
    }

    private Server findPrimaryServer() {
        Server best = null;
        for (Server s : session.servers()) {
            if (s.status().isMaster() && s.status().isUsable() && (best == null || s.rank() < best.rank())) {
                best = s;
            }
        }
        return best;
    }

    // ---- connections

    private Backend connect(Server server, boolean asPrimary) {
        Backend b = new Backend(server, asPrimary);
        backends.add(b);
        if (asPrimary) {
            primary = b;
        }
        router.stats(server).connections.incrementAndGet();
        session.connect(server, new RouterSessionContext.ConnectListener() {
            @Override
            public void connected(Endpoint endpoint) {
                b.endpoint = endpoint;
                if (closed) {
                    return;
                }
                b.replayPosition = 0;
                replayNext(b);
            }

            @Override
            public void failed(String reason) {
                if (b.state == Backend.State.CLOSED) {
                    return;
                }
                remove(b);
                if (!started) {
                    startStepDone();
                } else if (current != null && current.waitingFor == b) {
                    redispatch(current);
                }
            }
        });
        return b;
    }

    /** Whether the session may open another connection: it must be able to catch up with the history. */
    private boolean mayOpen(Server server) {
        Long failed = failedAtNanos.get(server.name());
        return !closed && history.intact() && (failed == null || System.nanoTime() - failed > RECONNECT_BACKOFF_NANOS);
    }

    private void replayNext(Backend b) {
        SessionCommandHistory.Entry e = history.from(b.replayPosition);
        if (e == null) {
            b.replaying = null;
            b.state = Backend.State.READY;
            backendReady(b);
            return;
        }
        b.state = Backend.State.REPLAYING;
        b.replayPosition = e.position + 1;
        b.replaying = e;
        b.newReply();
        b.endpoint.write(e.packet.retainedDuplicate(), e.command);
    }

    private void replayReplyComplete(Backend b) {
        SessionCommandHistory.Entry e = b.replaying;
        b.replaying = null;
        if (b.replyFailed == e.expectedOk) {
            drop(b, "replaying the session command history gave a different result");
            if (current != null && current.waitingFor == b) {
                redispatch(current);
            }
            return;
        }
        if (e.isPrepare()) {
            PreparedStatements.Statement st = statements.get(e.clientStatementId);
            if (st != null) {
                st.backendIds.put(b, b.preparedId);
            }
        }
        replayNext(b);
    }

    private void backendReady(Backend b) {
        if (!started) {
            startStepDone();
            return;
        }
        if (!history.intact()) {
            // commands were lost while it caught up
            drop(b, "the session command history overflowed");
            if (current != null && current.waitingFor == b) {
                redispatch(current);
            }
            return;
        }
        if (current != null && current.waitingFor == b) {
            resume(current, b);
        }
    }

    /** Closes a connection whose state diverged from the session's and forgets it. */
    private void drop(Backend b, String reason) {
        router.droppedReplicas.increment();
        if (b.endpoint != null) {
            b.endpoint.close();
        }
        remove(b);
        if (b == primary) {
            primary = null;
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
        failedAtNanos.put(b.server.name(), System.nanoTime());
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

    private Backend byServer(Server server) {
        for (Backend b : backends) {
            if (b.server == server) {
                return b;
            }
        }
        return null;
    }

    // ---- requests from the client

    @Override
    public void routeQuery(ByteBuf packet, int command) {
        if (closed) {
            packet.release();
            return;
        }
        if (command < 0) {
            if (queue.isEmpty() && (current == null || current.written)) {
                writeContinuation(packet);
            } else {
                queue.add(new Queued(packet, command));
            }
            return;
        }
        if (current != null || !queue.isEmpty()) {
            queue.add(new Queued(packet, command));
            return;
        }
        route(packet, command);
    }

    private void writeContinuation(ByteBuf packet) {
        List<Backend> targets = continuationTargets;
        if (targets.isEmpty()) {
            packet.release();
            return;
        }
        for (int i = 0; i < targets.size(); i++) {
            Backend b = targets.get(i);
            ByteBuf p = i == targets.size() - 1 ? packet : packet.retainedDuplicate();
            if (b.ready()) {
                b.endpoint.write(p, -1);
            } else {
                p.release();
            }
        }
    }

    private void processQueue() {
        while (!closed && !queue.isEmpty()) {
            Queued q = queue.peek();
            if (q.command() < 0) {
                if (current != null && !current.written) {
                    return;
                }
                queue.poll();
                writeContinuation(q.packet());
                continue;
            }
            if (current != null) {
                return;
            }
            queue.poll();
            route(q.packet(), q.command());
        }
    }

    private void route(ByteBuf packet, int command) {
        router.queries.increment();
        Request r = new Request(command);
        current = r;
        switch (command) {
            case Command.COM_QUERY -> routeStatement(r, packet);
            case Command.COM_INIT_DB, Command.COM_SET_OPTION -> {
                r.decision = RoutingDecision.of(RouteTarget.ALL, "session command");
                r.remember = true;
                sendToAll(r, packet);
            }
            case Command.COM_RESET_CONNECTION -> {
                forgetSessionState();
                r.decision = RoutingDecision.of(RouteTarget.ALL, "session command");
                sendToAll(r, packet);
            }
            case Command.COM_STMT_PREPARE -> {
                r.info = classify(packet);
                r.decision = RoutingDecision.of(RouteTarget.ALL, "binary prepare");
                r.remember = true;
                sendToAll(r, packet);
            }
            case Command.COM_STMT_EXECUTE, Command.COM_STMT_BULK_EXECUTE -> execute(r, packet);
            case Command.COM_STMT_CLOSE -> closeStatement(packet);
            case Command.COM_STMT_SEND_LONG_DATA -> sendLongData(packet);
            case Command.COM_STMT_RESET -> resetStatement(r, packet);
            case Command.COM_STMT_FETCH -> fetch(r, packet);
            case Command.COM_PING -> ping(r, packet);
            default -> {
                r.decision = RoutingDecision.of(RouteTarget.PRIMARY, "command " + command);
                dispatch(r, packet);
            }
        }
        if (current == r && r.written && r.answering.isEmpty()) {
            finish(r);
        }
    }

    private QueryInfo classify(ByteBuf packet) {
        int len = Packets.payloadLength(packet) - 1;
        if (len <= 0) {
            return session.classifier().classify(new byte[0], 0, 0, queryContext);
        }
        return session.classifier().classify(packet.slice(packet.readerIndex() + Packets.HEADER_SIZE + 1, len),
                queryContext);
    }

    private void routeStatement(Request r, ByteBuf packet) {
        QueryInfo info = classify(packet);
        r.info = info;
        if (startsWithExplain(packet)) {
            explain(r, packet, info);
            return;
        }
        TransactionState.Start start = trx.beforeStatement(info);
        if (start == TransactionState.Start.READ_WRITE) {
            router.rwTransactions.increment();
        } else if (start == TransactionState.Start.READ_ONLY) {
            router.roTransactions.increment();
        }
        r.decision = router.decider().decide(info, trx, textPrepared::get);
        trackStatementEffects(info);
        if (r.decision.target() == RouteTarget.ALL) {
            r.remember = true;
            sendToAll(r, packet);
            return;
        }
        if (r.decision.isRead() && config.retryFailedReads() && !trx.pinned()
                && Packets.payloadLength(packet) < Packets.MAX_PAYLOAD) {
            r.retry = packet.retainedDuplicate();
        }
        dispatchRead(r, packet);
    }

    /** Temporary tables, text prepared statements and strict_* locks that later statements depend on. */
    private void trackStatementEffects(QueryInfo info) {
        long t = info.types();
        if ((t & QueryType.CREATE_TMP_TABLE) != 0 && !info.tables().isEmpty()) {
            temporaryTables.add(info.tables().get(0));
            queryContext = queryContext.withTemporaryTables(temporaryTables);
        } else if ((t & QueryType.DROP_TMP_TABLE) != 0) {
            info.tables().forEach(temporaryTables::remove);
            queryContext = queryContext.withTemporaryTables(temporaryTables);
        }
        if ((t & QueryType.PREPARE_NAMED_STMT) != 0 && info.prepared() != null) {
            textPrepared.put(info.preparedName(), info.prepared());
        } else if ((t & QueryType.DEALLOC_PREPARE) != 0) {
            textPrepared.remove(info.preparedName());
        }
        if (config.strictMultiStmt() && info.multiStatement()) {
            trx.lockToPrimary("strict_multi_stmt after a multi-statement");
        }
        if (config.strictSpCalls() && (t & QueryType.CALL) != 0) {
            trx.lockToPrimary("strict_sp_calls after a CALL");
        }
    }

    private void forgetSessionState() {
        history.releaseAll();
        textPrepared.clear();
        temporaryTables.clear();
        queryContext = queryContext.withTemporaryTables(temporaryTables);
        trx.reset();
    }

    // ---- single-target routing

    /** Routes to the decision's target, waiting for a connection to open first if need be. */
    private void dispatch(Request r, ByteBuf packet) {
        Backend b = resolve(r);
        if (b == null) {
            packet.release();
            noTarget(r);
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
    private void redispatch(Request r) {
        resume(r, null);
    }

    /** Sends a parked request: to {@code ready}, or through a new routing decision when that is null. */
    private void resume(Request r, Backend ready) {
        ByteBuf p = r.parked;
        r.parked = null;
        r.waitingFor = null;
        if (r.decision.target() == RouteTarget.ALL) {
            sendToAll(r, p);
        } else if (ready != null) {
            send(r, ready, p);
        } else {
            dispatch(r, p);
        }
        if (current == r && r.written && r.answering.isEmpty()) {
            finish(r);
        }
        processQueue();
    }

    private Backend resolve(Request r) {
        RoutingDecision d = r.decision;
        Predicate<Backend> hasStatement = r.statement == null ? b -> true
                : b -> b.state != Backend.State.READY || r.statement.backendIds.containsKey(b);
        switch (d.target()) {
            case REPLICA -> {
                if (trx.readOnlyTransaction() && readOnlyTrxBackend != null) {
                    return readOnlyTrxBackend.state == Backend.State.CLOSED ? null : readOnlyTrxBackend;
                }
                if (r.causalToPrimary && primary != null && primary.state != Backend.State.CLOSED) {
                    return primary;
                }
                Backend b = chooseReadBackend(r.excluded, hasStatement.and(caughtUp(r)), true);
                if (b != null) {
                    if (trx.readOnlyTransaction()) {
                        readOnlyTrxBackend = b;
                    }
                    return b;
                }
                if (trx.readOnlyTransaction()) {
                    return null;
                }
                return primaryBackend();
            }
            case LAST_USED -> {
                return lastUsed != null && lastUsed.ready() ? lastUsed : primaryBackend();
            }
            case NAMED_SERVER -> {
                for (Server s : session.servers()) {
                    if (s.name().equals(d.serverName())) {
                        Backend b = byServer(s);
                        if (b != null && b.state != Backend.State.CLOSED) {
                            return b;
                        }
                        if (s.status().isUsable() && mayOpen(s)) {
                            return connect(s, false);
                        }
                    }
                }
                return primaryBackend();
            }
            default -> {
                return primaryBackend();
            }
        }
    }

    /**
     * causal_reads=fast / fast_global / fast_universal: only replicas whose position (as the monitor last saw
     * it) includes the GTID the read must see; the primary serves the read otherwise.
     */
    private Predicate<Backend> caughtUp(Request r) {
        if (causal.waits() || !causalRead(r)) {
            return b -> true;
        }
        String gtid = requiredGtid(r);
        if (!CausalReads.valid(gtid)) {
            return b -> true;
        }
        return b -> b.primary || CausalReads.covers(b.server.status().gtidCurrentPos(), gtid);
    }

    /** The primary connection, opening one (master_reconnection) when the session has none. */
    private Backend primaryBackend() {
        if (primary != null && primary.state != Backend.State.CLOSED) {
            return primary;
        }
        if (!config.masterReconnection() || trx.open()) {
            return null;
        }
        Server s = findPrimaryServer();
        if (s == null || !mayOpen(s)) {
            return null;
        }
        Backend existing = byServer(s);
        if (existing != null) {
            return null; // a replica connection to a server that became primary: not reused in this version
        }
        return connect(s, true);
    }

    /**
     * The connection for a read: among usable replicas (connected, or connectable within
     * max_slave_connections) and the primary with master_accept_reads, by slave_selection_criteria.
     *
     * @param open whether a new connection may be opened (false for explain)
     */
    private Backend chooseReadBackend(List<Backend> excluded, Predicate<Backend> usable, boolean open) {
        List<Server> candidates = new ArrayList<>();
        int replicaConnections = 0;
        for (Backend b : backends) {
            if (!b.primary) {
                replicaConnections++;
            }
            if (b.state != Backend.State.READY || excluded.contains(b) || !usable.test(b)) {
                continue;
            }
            if (b.primary ? config.masterAcceptReads() && b.server.status().isUsable()
                    : b.server.status().isSlave() && router.selector().readable(b.server.status())) {
                candidates.add(b.server);
            }
        }
        if (replicaConnections < config.maxSlaveConnections()) {
            for (Server s : session.servers()) {
                if (byServer(s) == null && s.status().isSlave() && router.selector().readable(s.status())
                        && mayOpen(s) && !isExcluded(excluded, s) && usable.test(new Backend(s, false))) {
                    candidates.add(s);
                }
            }
        }
        Server chosen = router.selector().select(candidates, router::stats);
        if (chosen == null) {
            return null;
        }
        Backend b = byServer(chosen);
        if (b != null) {
            return b;
        }
        return open ? connect(chosen, false) : new Backend(chosen, false);
    }

    private static boolean isExcluded(List<Backend> excluded, Server s) {
        for (Backend b : excluded) {
            if (b.server == s) {
                return true;
            }
        }
        return false;
    }

    private void noTarget(Request r) {
        current = null;
        if (r.decision.isRead() && !trx.readOnlyTransaction()) {
            session.replyError(2003, "HY000", "readwritesplit: no server is available for a read");
            return;
        }
        if (r.decision.isRead()) {
            trx.reset();
            session.replyError(2013, "HY000",
                    "readwritesplit: lost the replica of the read-only transaction; it was rolled back");
            return;
        }
        if (config.errorOnWrite()) {
            session.replyError(1290, "HY000", "The MariaDB server is running with the --read-only option so it "
                    + "cannot execute this statement (readwritesplit has no primary server)");
            return;
        }
        session.replyError(2003, "HY000", "readwritesplit: the primary server is not available"
                + (trx.open() ? " during a transaction" : "") + "; closing the session (master_failure_mode="
                + config.masterFailureMode() + ")");
        session.closeSession("no primary server");
    }

    /** Sends a request to one connection; the packet is in the client's form (client statement ids). */
    private void send(Request r, Backend b, ByteBuf packet) {
        if (!b.primary && causal.waits() && causalRead(r)) {
            String gtid = requiredGtid(r);
            if (CausalReads.valid(gtid) && !CausalReads.covers(b.syncedGtid, gtid)) {
                router.causalWaits.increment();
                r.pending = packet;
                internalQuery(b, CausalReads.waitQuery(gtid, config.causalReadsTimeout()),
                        result -> causalWaitDone(r, b, gtid, result));
                return;
            }
        }
        sendNow(r, b, packet);
    }

    private void sendNow(Request r, Backend b, ByteBuf packet) {
        if (b.primary && r.decision.target() != RouteTarget.ALL && !r.decision.isRead()) {
            wroteSinceGtid = true;
        }
        if (r.statement != null) {
            packet = forBackend(r.statement, b, packet);
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

    private void write(Request r, Backend b, ByteBuf packet) {
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

    // ---- session commands

    /** Sends a session command to every ready connection; connections still opening get it from the history. */
    private void sendToAll(Request r, ByteBuf packet) {
        List<Backend> targets = new ArrayList<>(backends.size());
        for (Backend b : backends) {
            if (b.ready()) {
                targets.add(b);
            }
        }
        if (targets.isEmpty()) {
            Backend b = primaryBackend();
            if (b == null || b.state == Backend.State.READY) {
                packet.release();
                noTarget(r);
                return;
            }
            r.parked = packet;
            r.waitingFor = b;
            return;
        }
        router.routeAll.increment();
        r.source = targets.contains(primary) ? primary : targets.get(0);
        if (r.remember) {
            r.historyCopy = packet.retainedDuplicate();
        }
        r.targets.clear();
        r.targets.addAll(targets);
        for (int i = 0; i < targets.size(); i++) {
            Backend b = targets.get(i);
            router.stats(b.server).total.increment();
            write(r, b, i == targets.size() - 1 ? packet : packet.retainedDuplicate());
        }
        continuationTargets = r.targets;
    }

    // ---- binary prepared statements

    private void execute(Request r, ByteBuf packet) {
        PreparedStatements.Statement st = statement(packet);
        if (st == null) {
            packet.release();
            current = null;
            session.replyError(1243, "HY000", "Unknown prepared statement handler given to mysqld_stmt_execute");
            return;
        }
        r.statement = st;
        r.info = st.info;
        byte[] types = StatementPackets.boundTypes(packet, st.parameterCount);
        if (types != null) {
            st.parameterTypes = types;
            st.typesSent.clear();
        }
        trx.beforeStatement(st.info);
        RoutingDecision d = router.decider().decide(st.info, trx, textPrepared::get);
        if (r.command == Command.COM_STMT_BULK_EXECUTE || d.target() == RouteTarget.ALL) {
            d = RoutingDecision.of(RouteTarget.PRIMARY, r.command == Command.COM_STMT_BULK_EXECUTE
                    ? "bulk execution" : "execution of a prepared session command");
        }
        r.decision = d;
        if (d.isRead() && config.retryFailedReads()) {
            r.retry = packet.copy();
        }
        dispatchRead(r, packet);
    }

    /**
     * The statement a COM_STMT_* packet names. Id 0xFFFFFFFF means the statement prepared last: MariaDB
     * Connector/J sends it when it pipelines a COM_STMT_EXECUTE right behind its COM_STMT_PREPARE.
     */
    private PreparedStatements.Statement statement(ByteBuf packet) {
        long id = StatementPackets.statementId(packet);
        return statements.get(id == 0xFFFFFFFFL ? lastPreparedId : id);
    }

    /** The packet with the connection's statement id, and the parameter types if that connection lacks them. */
    private static ByteBuf forBackend(PreparedStatements.Statement st, Backend b, ByteBuf packet) {
        Long id = st.backendIds.get(b);
        if (id != null) {
            packet.setIntLE(packet.readerIndex() + Packets.HEADER_SIZE + 1, id.intValue());
        }
        if (packet.getUnsignedByte(packet.readerIndex() + Packets.HEADER_SIZE) != Command.COM_STMT_EXECUTE) {
            return packet;
        }
        if (StatementPackets.boundTypes(packet, st.parameterCount) != null) {
            st.typesSent.put(b, Boolean.TRUE);
            return packet;
        }
        if (st.parameterTypes != null && st.typesSent.put(b, Boolean.TRUE) == null) {
            return StatementPackets.withTypes(packet, st.parameterCount, st.parameterTypes);
        }
        return packet;
    }

    private void closeStatement(ByteBuf packet) {
        PreparedStatements.Statement found = statement(packet);
        long clientId = found == null ? -1 : found.clientId;
        PreparedStatements.Statement st = found == null ? null : statements.remove(clientId);
        if (st != null) {
            history.removePrepare(clientId);
            st.backendIds.forEach((b, id) -> {
                if (b.ready()) {
                    b.endpoint.write(StatementPackets.copyWithId(packet, id), Command.COM_STMT_CLOSE);
                }
            });
        }
        packet.release();
        current = null;
        continuationTargets = List.of();
    }

    private void sendLongData(ByteBuf packet) {
        PreparedStatements.Statement st = statement(packet);
        List<Backend> targets = new ArrayList<>(2);
        if (st != null) {
            st.backendIds.forEach((b, id) -> {
                if (b.ready()) {
                    targets.add(b);
                    b.endpoint.write(StatementPackets.copyWithId(packet, id), Command.COM_STMT_SEND_LONG_DATA);
                }
            });
        }
        packet.release();
        current = null;
        continuationTargets = List.of(); // a 16 MiB+ long data chunk is not supported
    }

    private void resetStatement(Request r, ByteBuf packet) {
        PreparedStatements.Statement st = statement(packet);
        r.decision = RoutingDecision.of(RouteTarget.ALL, "statement reset");
        if (st == null) {
            packet.release();
            current = null;
            session.replyError(1243, "HY000", "Unknown prepared statement handler given to mysqld_stmt_reset");
            return;
        }
        List<Backend> targets = new ArrayList<>(2);
        st.backendIds.forEach((b, id) -> {
            if (b.ready()) {
                targets.add(b);
            }
        });
        if (targets.isEmpty()) {
            packet.release();
            noTarget(r);
            return;
        }
        r.source = targets.contains(primary) ? primary : targets.get(0);
        r.targets.addAll(targets);
        for (Backend b : targets) {
            write(r, b, StatementPackets.copyWithId(packet, st.backendIds.get(b)));
        }
        packet.release();
    }

    private void fetch(Request r, ByteBuf packet) {
        PreparedStatements.Statement st = statement(packet);
        if (st == null || st.lastExecuted == null || !st.lastExecuted.ready()) {
            packet.release();
            current = null;
            session.replyError(1243, "HY000", "Unknown prepared statement handler given to mysqld_stmt_fetch");
            return;
        }
        r.decision = RoutingDecision.of(st.lastExecuted.primary ? RouteTarget.PRIMARY : RouteTarget.REPLICA,
                "fetch follows its execution");
        r.statement = st;
        send(r, st.lastExecuted, packet);
    }

    /**
     * COM_PING: answered by the primary, or by any ready connection when the session has none (a session that
     * lost its primary under error_on_write / fail_on_write is alive, and a ping must say so).
     */
    private void ping(Request r, ByteBuf packet) {
        Backend b = primary != null && primary.ready() ? primary : firstReady();
        if (b == null) {
            r.decision = RoutingDecision.of(RouteTarget.PRIMARY, "ping");
            dispatch(r, packet);
            return;
        }
        r.decision = RoutingDecision.of(b.primary ? RouteTarget.PRIMARY : RouteTarget.LAST_USED, "ping");
        r.targets.add(b);
        r.source = b;
        write(r, b, packet);
    }

    // ---- explain

    private static boolean startsWithExplain(ByteBuf packet) {
        int start = packet.readerIndex() + Packets.HEADER_SIZE + 1;
        int end = packet.readerIndex() + Packets.HEADER_SIZE + Packets.payloadLength(packet);
        while (start < end && Character.isWhitespace(packet.getByte(start))) {
            start++;
        }
        if (end - start < EXPLAIN_PREFIX.length || packet.getByte(start) != '/') {
            return false;
        }
        for (int i = 0; i < EXPLAIN_PREFIX.length; i++) {
            if (Character.toLowerCase(packet.getByte(start + i)) != EXPLAIN_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Answers {@code /* sluice explain *&#47; stmt} with one row (target, server, reason) without running the
     * statement: the row is produced by a constant SELECT on a connection that is ready, so the result set has
     * the format the client negotiated.
     */
    private void explain(Request r, ByteBuf packet, QueryInfo info) {
        TransactionState what = trx.copy();
        what.beforeStatement(info);
        RoutingDecision d = router.decider().decide(info, what, textPrepared::get);
        String server = switch (d.target()) {
            case ALL -> "all";
            case REPLICA -> {
                Backend b = what.readOnlyTransaction() && readOnlyTrxBackend != null ? readOnlyTrxBackend
                        : chooseReadBackend(List.of(), b2 -> true, false);
                yield b != null ? b.server.name() : primary != null ? primary.server.name() + " (no replica)" : "none";
            }
            case NAMED_SERVER -> d.serverName();
            case LAST_USED -> lastUsed != null ? lastUsed.server.name() : "none";
            default -> primary != null ? primary.server.name() : "none";
        };
        String sql = "SELECT " + quote(d.target().name().toLowerCase(java.util.Locale.ROOT)) + " AS target, "
                + quote(server) + " AS server, " + quote(d.reason()) + " AS reason";
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        ByteBuf query = Packets.start(packet.alloc(), 1 + text.length);
        query.writeByte(Command.COM_QUERY).writeBytes(text);
        Packets.finish(query, Packets.sequence(packet));
        packet.release();
        r.explain = true;
        r.decision = RoutingDecision.of(RouteTarget.PRIMARY, "explain");
        Backend b = primary != null && primary.ready() ? primary : firstReady();
        if (b == null) {
            query.release();
            current = null;
            session.replyError(2003, "HY000", "readwritesplit: no connection to answer explain");
            return;
        }
        r.targets.add(b);
        r.source = b;
        write(r, b, query);
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private Backend firstReady() {
        for (Backend b : backends) {
            if (b.ready()) {
                return b;
            }
        }
        return null;
    }

    // ---- replies

    @Override
    public void clientReply(Endpoint endpoint, ByteBuf packet, boolean replyComplete) {
        Backend b = byEndpoint(endpoint);
        if (b == null || closed) {
            packet.release();
            return;
        }
        if (b.internal != null) {
            internalReply(b, packet, replyComplete);
            return;
        }
        if (!b.replyStarted) {
            b.replyStarted = true;
            int first = Packets.firstByte(packet);
            b.replyFailed = first == 0xff;
            int command = b.replaying != null ? b.replaying.command : current != null ? current.command : -1;
            if (first == 0 && command == Command.COM_STMT_PREPARE && Packets.payloadLength(packet) >= 9) {
                int base = packet.readerIndex() + Packets.HEADER_SIZE;
                b.preparedId = packet.getUnsignedIntLE(base + 1);
                b.preparedParams = packet.getUnsignedShortLE(base + 7);
            }
        }
        if (b.state == Backend.State.REPLAYING) {
            packet.release();
            if (replyComplete) {
                replayReplyComplete(b);
            }
            return;
        }
        Request r = current;
        if (r == null || !r.answering.contains(b)) {
            packet.release();
            return;
        }
        if (b == r.source) {
            r.bytesToClient = true;
            if (replyComplete && b == primary && wroteSinceGtid && causal.tracksWrites()) {
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

    /** Every connection the request went to has answered (or failed): settle the session state. */
    private void finish(Request r) {
        Backend src = r.source;
        if (src != null && r.targets.size() > 1) {
            for (Backend t : new ArrayList<>(r.targets)) {
                if (t != src && t.state != Backend.State.CLOSED && t.replyFailed != src.replyFailed) {
                    drop(t, "its reply to a session command differed from " + src.server.name() + "'s");
                }
            }
        }
        boolean ok = src != null && !src.replyFailed;
        if (r.command == Command.COM_STMT_PREPARE && ok) {
            PreparedStatements.Statement st = statements.add(src.preparedId, r.info, src.preparedParams);
            lastPreparedId = src.preparedId;
            for (Backend t : r.targets) {
                if (t.state != Backend.State.CLOSED && !t.replyFailed) {
                    st.backendIds.put(t, t.preparedId);
                }
            }
        }
        if (r.historyCopy != null) {
            if (ok) {
                SessionCommandHistory.Entry e = history.add(r.historyCopy, r.command, true,
                        r.command == Command.COM_STMT_PREPARE ? src.preparedId : -1);
                if (e != null) {
                    catchUp(r, e);
                }
            } else {
                r.historyCopy.release();
            }
            r.historyCopy = null;
        }
        if (src != null && !r.explain && src.endpoint != null && r.command != Command.COM_STMT_PREPARE) {
            trx.afterReply(ok, src.endpoint.statusFlags());
            if (!trx.readOnlyTransaction()) {
                readOnlyTrxBackend = null;
            }
        }
        if (src != null && r.targets.size() == 1) {
            lastUsed = src;
        }
        ByteBuf held = r.held;
        r.held = null;
        r.releaseBuffers();
        r.held = held; // released with the request if the session closes first
        if (causal.tracksWrites() && wroteSinceGtid && src == primary && src != null && src.ready() && !trx.open()) {
            // the end of the write's reply reaches the client once its GTID is known
            wroteSinceGtid = false;
            internalQuery(src, CausalReads.LAST_GTID_QUERY, gtid -> {
                if (CausalReads.valid(gtid)) {
                    sessionGtid = CausalReads.merge(sessionGtid, gtid);
                    if (causal.global()) {
                        router.observeGtid(gtid);
                    }
                }
                ByteBuf h = r.held;
                r.held = null;
                if (h != null) {
                    session.writeToClient(h);
                }
                if (current == r) {
                    current = null;
                }
                processQueue();
            });
            return;
        }
        r.held = null;
        if (held != null) {
            session.writeToClient(held);
        }
        if (current == r) {
            current = null;
        }
        processQueue();
    }

    // ---- causal reads

    /** Sends a query of Sluice's own on an idle ready connection; its reply goes to {@code done}, not the client. */
    private void internalQuery(Backend b, String sql, java.util.function.Consumer<String> done) {
        b.internal = done;
        b.internalValue = null;
        b.newReply();
        b.endpoint.write(CausalReads.queryPacket(io.netty.buffer.ByteBufAllocator.DEFAULT, sql), Command.COM_QUERY);
    }

    private void internalReply(Backend b, ByteBuf packet, boolean replyComplete) {
        try {
            if (!b.replyStarted) {
                b.replyStarted = true;
                b.replyFailed = Packets.firstByte(packet) == 0xff;
            }
            if (!replyComplete) {
                b.internalValue = CausalReads.firstColumn(packet);
                return;
            }
        } finally {
            packet.release();
        }
        java.util.function.Consumer<String> done = b.internal;
        b.internal = null;
        done.accept(b.replyFailed ? null : b.internalValue);
    }

    /** The GTID position a read must see, or "" when there is none (causal_reads off, or nothing written). */
    private String requiredGtid(Request r) {
        return switch (causal) {
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
        return causal != CausalReads.Mode.NONE && r.decision.isRead() && !trx.open() && !r.causalToPrimary
                && (r.command == Command.COM_QUERY || r.command == Command.COM_STMT_EXECUTE);
    }

    /**
     * Routes a read: with causal_reads=universal / fast_universal the primary's current GTID position is read
     * first (when the primary is connected and ready).
     */
    private void dispatchRead(Request r, ByteBuf packet) {
        if (causal.asksPrimary() && causalRead(r) && primary != null && primary.ready()) {
            r.pending = packet;
            internalQuery(primary, CausalReads.CURRENT_POS_QUERY, pos -> {
                ByteBuf p = r.pending;
                r.pending = null;
                if (closed || current != r || p == null) {
                    if (p != null) {
                        p.release();
                    }
                    return;
                }
                r.primaryGtid = CausalReads.valid(pos) ? pos : "";
                dispatch(r, p);
                if (current == r && r.written && r.answering.isEmpty()) {
                    finish(r);
                }
            });
            return;
        }
        dispatch(r, packet);
    }

    /** The reply of MASTER_GTID_WAIT on the replica chosen for a causal read. */
    private void causalWaitDone(Request r, Backend b, String gtid, String result) {
        ByteBuf packet = r.pending;
        r.pending = null;
        if (closed || current != r || packet == null) {
            if (packet != null) {
                packet.release();
            }
            return;
        }
        if ("0".equals(result) && b.ready()) {
            b.syncedGtid = CausalReads.merge(b.syncedGtid, gtid);
            sendNow(r, b, packet);
        } else {
            router.causalTimeouts.increment();
            r.causalToPrimary = true;
            dispatch(r, packet);
        }
        if (current == r && r.written && r.answering.isEmpty()) {
            finish(r);
        }
    }

    /**
     * A connection that finished replaying the history while this command was in flight did not get it: it
     * replays it now (the session has nothing else in flight, so the connection is idle).
     */
    private void catchUp(Request r, SessionCommandHistory.Entry e) {
        for (Backend b : new ArrayList<>(backends)) {
            if (r.targets.contains(b)) {
                b.replayPosition = e.position + 1;
            } else if (b.state == Backend.State.READY && b.replayPosition <= e.position) {
                replayNext(b);
            }
        }
    }

    // ---- failures

    @Override
    public void endpointFailed(Endpoint endpoint, String reason, boolean replyInProgress) {
        Backend b = byEndpoint(endpoint);
        if (b == null || closed) {
            return;
        }
        boolean wasPrimary = b == primary;
        remove(b);
        Request r = current;
        if (wasPrimary) {
            primary = null;
            if (config.failInstantly() || trx.open() && !trx.readOnlyTransaction()) {
                if (r != null) {
                    session.replyError(2013, "HY000", "Lost connection to the primary server '" + b.server.name()
                            + "'" + (trx.open() ? " during a transaction" : "") + ": " + reason);
                }
                session.closeSession("primary " + b.server.name() + " failed: " + reason);
                return;
            }
        }
        if (b.internal != null) {
            // a causal-read query of Sluice's own: the request it served goes on without it
            java.util.function.Consumer<String> done = b.internal;
            b.internal = null;
            done.accept(null);
            return;
        }
        if (b == readOnlyTrxBackend) {
            readOnlyTrxBackend = null;
            if (r != null && r.answering.contains(b)) {
                trx.reset();
                failRequest(r, b, "Lost connection to replica '" + b.server.name()
                        + "' during a read-only transaction: " + reason);
                return;
            }
            trx.reset();
        }
        if (r == null) {
            return;
        }
        if (r.waitingFor == b) {
            redispatch(r);
            return;
        }
        if (!r.answering.remove(b)) {
            return;
        }
        r.targets.remove(b);
        if (b == r.source) {
            if (!r.bytesToClient && r.retry != null && config.retryFailedReads() && r.targets.isEmpty()) {
                router.retriedReads.increment();
                r.excluded.add(b);
                ByteBuf again = r.retry;
                r.retry = r.statement != null ? again.copy() : again.retainedDuplicate();
                dispatch(r, again);
                if (current == r && r.written && r.answering.isEmpty()) {
                    finish(r);
                }
                return;
            }
            if (!r.bytesToClient && !r.targets.isEmpty()) {
                // a session command: another connection's reply goes to the client instead
                r.source = r.targets.contains(primary) ? primary : r.targets.get(0);
            } else {
                failRequest(r, b, "Lost connection to backend server '" + b.server.name() + "' during query: "
                        + reason);
                return;
            }
        }
        if (r.answering.isEmpty()) {
            finish(r);
        }
    }

    /** The reply to the client cannot be completed: an ERR instead, then the session goes on. */
    private void failRequest(Request r, Backend failed, String message) {
        r.source = null;
        session.replyError(2013, "HY000", message);
        if (r.answering.isEmpty()) {
            finish(r);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (current != null) {
            current.releaseBuffers();
            current = null;
        }
        for (Queued q : queue) {
            q.packet().release();
        }
        queue.clear();
        history.releaseAll();
        for (Backend b : new ArrayList<>(backends)) {
            remove(b);
        }
    }
}
