package dev.sluice.modules.readwritesplit;

import dev.sluice.protocol.Command;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Session commands of one session: sends them to every ready connection (the client gets one reply), drops a
 * connection whose reply differs from the reply source's, remembers successful ones in the
 * {@link SessionCommandHistory} and replays that history, one command at a time, on every connection opened
 * later before it is used. Confined to the session's worker.
 */
final class SessionCommandRouting {
    private final ReadWriteSplitSession owner;
    private final SessionCommandHistory history;

    SessionCommandRouting(ReadWriteSplitSession owner, SessionCommandHistory history) {
        this.owner = owner;
        this.history = history;
    }

    /**
     * Sends a session command to every ready connection; connections still opening get it from the history.
     * Takes ownership of {@code packet}.
     */
    void sendToAll(Request r, ByteBuf packet) {
        List<Backend> targets = new ArrayList<>(owner.backends.size());
        for (Backend b : owner.backends) {
            if (b.ready()) {
                targets.add(b);
            }
        }
        if (targets.isEmpty()) {
            Backend b = owner.selection.primaryBackend();
            if (b == null || b.state == Backend.State.READY) {
                owner.noTarget(r, packet);
                return;
            }
            r.parked = packet;
            r.waitingFor = b;
            return;
        }
        owner.router.routeAll.increment();
        r.source = targets.contains(owner.primary) ? owner.primary : targets.get(0);
        if (r.remember) {
            r.historyCopy = packet.retainedDuplicate();
        }
        r.targets.clear();
        r.targets.addAll(targets);
        for (int i = 0; i < targets.size(); i++) {
            Backend b = targets.get(i);
            owner.router.stats(b.server).total.increment();
            owner.write(r, b, i == targets.size() - 1 ? packet : packet.retainedDuplicate());
        }
        owner.continuationTargets = r.targets;
    }

    /** A new connection is logged in: bring it to the session's state from the start of the history. */
    void startReplay(Backend b) {
        b.replayPosition = 0;
        replayNext(b);
    }

    private void replayNext(Backend b) {
        SessionCommandHistory.Entry e = history.from(b.replayPosition);
        if (e == null) {
            if (!b.trackingSetUp) {
                owner.tracking.setUp(b); // last: the history may change the tracking settings
            }
            b.replaying = null;
            b.state = Backend.State.READY;
            owner.backendReady(b);
            return;
        }
        b.state = Backend.State.REPLAYING;
        b.replayPosition = e.position + 1;
        b.replaying = e;
        if (SessionTracking.changesTracking(e.command, e.packet)) {
            b.trackingSetUp = false;
        }
        b.newReply();
        b.endpoint.write(e.packet.retainedDuplicate(), e.command);
    }

    /** The reply to a replayed command is complete: a different outcome than the original drops the connection. */
    void replayReplyComplete(Backend b) {
        SessionCommandHistory.Entry e = b.replaying;
        b.replaying = null;
        if (b.replyFailed == e.expectedOk) {
            owner.dropAndRedispatch(b, "replaying the session command history gave a different result");
            return;
        }
        if (e.isPrepare()) {
            PreparedStatements.Statement st = owner.statements.get(e.clientStatementId);
            if (st != null) {
                st.backendIds.put(b, b.preparedId);
            }
        }
        replayNext(b);
    }

    /** Every connection answered a session command: those whose outcome differs from the reply source's go. */
    void dropDiverged(Request r, Backend src) {
        if (src != null && r.targets.size() > 1) {
            for (Backend t : new ArrayList<>(r.targets)) {
                if (t != src && t.state != Backend.State.CLOSED && t.replyFailed != src.replyFailed) {
                    owner.drop(t, "its reply to a session command differed from " + src.server.name() + "'s");
                }
            }
        }
    }

    /**
     * A successful session command goes into the history (and to connections that became ready meanwhile); a
     * failed one is forgotten.
     */
    void remember(Request r, Backend src) {
        if (r.historyCopy == null) {
            return;
        }
        if (src != null && !src.replyFailed) {
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

    /**
     * A connection that finished replaying the history while this command was in flight did not get it: it
     * replays it now (the session has nothing else in flight, so the connection is idle).
     */
    private void catchUp(Request r, SessionCommandHistory.Entry e) {
        for (Backend b : new ArrayList<>(owner.backends)) {
            if (r.targets.contains(b)) {
                b.replayPosition = e.position + 1;
            } else if (b.state == Backend.State.READY && b.replayPosition <= e.position) {
                replayNext(b);
            }
        }
    }
}
