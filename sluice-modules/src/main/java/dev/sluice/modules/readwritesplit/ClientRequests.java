package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.Hint;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The client's requests as a readwritesplit session takes them: one is in flight at a time, those the client
 * pipelines wait in a queue (continuation packets of the one in flight go straight to where it went), and each
 * starts by its command: a statement is classified, updates the transaction state and hint stack, and is routed
 * by the {@link TargetDecider}'s decision; session commands, prepared-statement commands and pings go to their
 * collaborators. Confined to the session's worker.
 */
final class ClientRequests {
    /** A client request waiting for the one in flight (the chain's envelope, not this package's {@link Request}). */
    private record Queued(dev.sluice.api.chain.Request request) {
        int command() {
            return request.command();
        }
    }

    private final ReadWriteSplitSession owner;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();

    ClientRequests(ReadWriteSplitSession owner) {
        this.owner = owner;
    }

    /** A packet from the client: a command, or (command &lt; 0) a continuation of the one before. */
    void routeQuery(dev.sluice.api.chain.Request request) {
        if (owner.closed) {
            request.release();
            return;
        }
        Request current = owner.current;
        if (request.isContinuation()) {
            if (queue.isEmpty() && (current == null || current.written)) {
                writeContinuation(request.takePacket());
            } else {
                queue.add(new Queued(request));
            }
            return;
        }
        if (current != null || !queue.isEmpty()) {
            queue.add(new Queued(request));
            return;
        }
        route(request);
    }

    /** Whether the client pipelined requests that wait. */
    boolean queued() {
        return !queue.isEmpty();
    }

    /** The session closed: the waiting requests are dropped. */
    void releaseQueued() {
        for (Queued q : queue) {
            q.request().release();
        }
        queue.clear();
    }

    private void writeContinuation(ByteBuf packet) {
        List<Backend> targets = owner.continuationTargets;
        if (targets.isEmpty()) {
            packet.release();
            return;
        }
        for (int i = 0; i < targets.size(); i++) {
            Backend b = targets.get(i);
            ByteBuf p = i == targets.size() - 1 ? packet : packet.retainedDuplicate();
            if (b.primary) {
                owner.replay.notReplayable(); // LOCAL INFILE data or a 16 MiB+ continuation is not recorded
            }
            if (b.ready()) {
                b.endpoint.write(p, -1);
            } else {
                p.release();
            }
        }
    }

    /** Starts the waiting requests, as far as the one in flight allows. */
    void processQueue() {
        while (!owner.closed && !queue.isEmpty()) {
            Queued q = queue.peek();
            if (q.command() < 0) {
                if (owner.current != null && !owner.current.written) {
                    return;
                }
                queue.poll();
                writeContinuation(q.request().takePacket());
                continue;
            }
            if (owner.current != null) {
                return;
            }
            queue.poll();
            route(q.request());
        }
    }

    private void route(dev.sluice.api.chain.Request request) {
        owner.router.queries.increment();
        int command = request.command();
        Request r = new Request(command);
        if (command == Command.COM_QUERY || command == Command.COM_STMT_PREPARE) {
            r.info = classify(request);
        }
        ByteBuf packet = request.takePacket();
        owner.current = r;
        PreparedStatementRouting prepared = owner.prepared;
        switch (command) {
            case Command.COM_QUERY -> routeStatement(r, packet);
            case Command.COM_INIT_DB, Command.COM_SET_OPTION -> {
                r.decision = RoutingDecision.of(RouteTarget.ALL, "session command");
                r.remember = true;
                owner.sessionCommands.sendToAll(r, packet);
            }
            case Command.COM_RESET_CONNECTION -> {
                forgetSessionState();
                r.changesTracking = true; // the servers' session_track_* settings are back to the defaults
                r.decision = RoutingDecision.of(RouteTarget.ALL, "session command");
                owner.sessionCommands.sendToAll(r, packet);
            }
            case Command.COM_STMT_PREPARE -> {
                if (owner.config.reusePreparedStatements() && prepared.reuse(r, packet)) {
                    return;
                }
                r.decision = RoutingDecision.of(RouteTarget.ALL, "binary prepare");
                r.remember = true;
                owner.sessionCommands.sendToAll(r, packet);
            }
            case Command.COM_STMT_EXECUTE, Command.COM_STMT_BULK_EXECUTE -> prepared.execute(r, packet);
            case Command.COM_STMT_CLOSE -> prepared.close(packet);
            case Command.COM_STMT_SEND_LONG_DATA -> prepared.sendLongData(packet);
            case Command.COM_STMT_RESET -> prepared.reset(r, packet);
            case Command.COM_STMT_FETCH -> prepared.fetch(r, packet);
            case Command.COM_PING -> ping(r, packet);
            default -> {
                r.decision = RoutingDecision.of(RouteTarget.PRIMARY, "command " + command);
                owner.dispatch(r, packet);
            }
        }
        owner.finishIfDone(r);
    }

    /**
     * The statement's classification: the request's (classified once, with the session's context, when a link
     * first asks), with the hints the chain attached to the request in place of those in its comments: hints in
     * client SQL count only behind a hintfilter, as in MaxScale.
     */
    private QueryInfo classify(dev.sluice.api.chain.Request request) {
        QueryInfo info = request.queryInfo();
        if (info == null) {
            info = owner.state.classify(owner.session.classifier(), request.packet());
        }
        return info.withHints(request.hints());
    }

    private void routeStatement(Request r, ByteBuf packet) {
        QueryInfo info = r.info;
        if (Explain.startsWithExplain(packet)) {
            owner.explain.answer(r, packet, info);
            return;
        }
        if (owner.prepared.reuseText(r, packet, info)) {
            return;
        }
        TransactionState trx = owner.trx;
        ReadWriteSplit router = owner.router;
        TransactionState.Start start = trx.beforeStatement(info);
        if (start == TransactionState.Start.READ_WRITE) {
            router.rwTransactions.increment();
        } else if (start == TransactionState.Start.READ_ONLY) {
            router.roTransactions.increment();
        }
        Hint inForce = owner.hints.inForce(info);
        r.decision = router.decider().decide(info, trx, owner.state::textPrepared, inForce);
        r.maxLagSeconds = HintStack.maxReplicationLag(info, inForce);
        owner.state.track(info);
        if (owner.optimistic.route(r, packet, start)) {
            return;
        }
        if (r.decision.target() == RouteTarget.ALL) {
            r.remember = true;
            r.changesTracking = SessionTracking.changesTracking(r.command, packet);
            owner.sessionCommands.sendToAll(r, packet);
            return;
        }
        if (r.decision.isRead() && owner.config.retryFailedReads() && !trx.pinned()
                && Packets.payloadLength(packet) < Packets.MAX_PAYLOAD) {
            r.retry = packet.retainedDuplicate();
        }
        owner.causal.dispatchRead(r, packet);
    }

    /** COM_CHANGE_USER or COM_RESET_CONNECTION: the history and what the session knew of its state are void. */
    void forgetSessionState() {
        owner.history.releaseAll();
        owner.statements.clear();
        owner.prepared.forgetText();
        owner.state.clear();
        owner.hints.clear();
        owner.trx.reset();
        owner.replay.transactionEnded();
    }

    /**
     * COM_PING: answered by the primary, or by any ready connection when the session has none (a session that
     * lost its primary under error_on_write / fail_on_write is alive, and a ping must say so).
     */
    private void ping(Request r, ByteBuf packet) {
        Backend primary = owner.primary;
        Backend b = primary != null && primary.ready() ? primary : owner.firstReady();
        if (b == null) {
            r.decision = RoutingDecision.of(RouteTarget.PRIMARY, "ping");
            owner.dispatch(r, packet);
            return;
        }
        r.decision = RoutingDecision.of(b.primary ? RouteTarget.PRIMARY : RouteTarget.LAST_USED, "ping");
        r.targets.add(b);
        r.source = b;
        owner.write(r, b, packet);
    }
}
