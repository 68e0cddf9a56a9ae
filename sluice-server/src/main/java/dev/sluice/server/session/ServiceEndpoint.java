package dev.sluice.server.session;

import dev.sluice.api.chain.Request;
import dev.sluice.api.query.QueryClassifier;
import dev.sluice.api.router.Endpoint;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.api.server.Server;
import dev.sluice.api.server.Target;
import dev.sluice.protocol.Capability;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ReplyTracker;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.server.core.ServiceRuntime;
import io.netty.buffer.ByteBuf;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection from a router session to another service (a target of {@code targets=} that is a service): a
 * session of that service's router, run on behalf of the same client on the same worker. To the router that
 * opened it, it is an {@link Endpoint} like a server connection: requests written to it go down the target
 * service's router, and what that router writes for "its client" comes back up as reply packets with a
 * {@code Reply} read by this endpoint's own {@link ReplyTracker}. The nested router's backend connections belong
 * to the client session (one pool, one flush, one event loop) and their events go to the nested router.
 * Confined to the session's worker.
 */
final class ServiceEndpoint implements Endpoint, RouterSessionContext {
    private static final Logger log = LoggerFactory.getLogger(ServiceEndpoint.class);

    private final ClientSession session;
    /** The router session that opened this endpoint: it gets the replies and the failure. */
    private final RouterSession owner;
    private final ServiceTarget target;
    private final ServiceRuntime service;
    private ServiceRuntime.Snapshot snapshot;
    private RouterSession nested;
    private ReplyTracker tracker;
    private ConnectListener pending;
    private boolean ready;
    private boolean open = true;
    private boolean retained;
    private int lastRequestSequence;

    ServiceEndpoint(ClientSession session, RouterSession owner, ServiceTarget target) {
        this.session = session;
        this.owner = owner;
        this.target = target;
        this.service = target.service;
    }

    /** Starts a session of the target service's router; {@code listener} hears when it is ready or failed. */
    void start(ConnectListener listener) {
        pending = listener;
        if (!service.tryRetain()) {
            open = false;
            pending = null;
            listener.failed("service " + service.name() + " no longer exists");
            return;
        }
        retained = true;
        if (!service.acceptsSessions()) {
            failStart("service " + service.name() + " is stopped");
            return;
        }
        snapshot = service.snapshot();
        long caps = session.clientCapabilities();
        tracker = new ReplyTracker(Capability.has(caps, Capability.DEPRECATE_EOF),
                Capability.has(caps, Capability.SESSION_TRACK));
        try {
            nested = snapshot.router().newSession(this);
            nested.start();
        } catch (RuntimeException e) {
            log.error("Session {}: the router of service {} failed to start", session.sessionId(), service.name(), e);
            failStart("the router of service " + service.name() + " failed to start: " + e);
        }
    }

    private void failStart(String reason) {
        ConnectListener l = pending;
        pending = null;
        close();
        if (l != null) {
            l.failed(reason);
        }
    }

    RouterSession nested() {
        return nested;
    }

    // ---- Endpoint: what the owner sees

    @Override
    public Server server() {
        return target;
    }

    @Override
    public void write(ByteBuf packet, int command) {
        if (!open) {
            packet.release();
            return;
        }
        lastRequestSequence = Packets.sequence(packet);
        if (command >= 0) {
            tracker.commandSent(command);
        } else if (tracker.isLocalInfileUpload() && Packets.payloadLength(packet) == 0) {
            tracker.uploadFinished();
        }
        nested.routeQuery(new Request(packet, command, session));
    }

    @Override
    public boolean isBusy() {
        return tracker != null && tracker.isBusy();
    }

    @Override
    public boolean inTransaction() {
        return tracker != null && tracker.inTransaction();
    }

    @Override
    public int statusFlags() {
        return tracker == null ? 0 : tracker.statusFlags();
    }

    @Override
    public long capabilities() {
        return session.clientCapabilities();
    }

    @Override
    public long backendThreadId() {
        return 0; // no single server connection: KILL cannot name one
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (nested != null) {
            try {
                nested.close();
            } catch (RuntimeException e) {
                log.warn("Session {}: closing the router session of service {}", session.sessionId(),
                        service.name(), e);
            }
        }
        session.serviceEndpointClosed(this);
        if (retained) {
            retained = false;
            service.release();
        }
    }

    /** The nested session ended on its own (its service's router closed it, or its last server failed). */
    private void failed(String reason) {
        if (!open) {
            return;
        }
        boolean inProgress = isBusy();
        close();
        owner.endpointFailed(this, "service " + service.name() + ": " + reason, inProgress);
    }

    // ---- RouterSessionContext: what the nested router session sees

    @Override
    public long sessionId() {
        return session.sessionId();
    }

    @Override
    public String user() {
        return session.user();
    }

    @Override
    public String clientHost() {
        return session.clientHost();
    }

    @Override
    public List<Server> servers() {
        return snapshot.serversAsApi();
    }

    @Override
    public List<Target> targets() {
        return session.targetsOf(service, snapshot);
    }

    @Override
    public void connect(Server server, ConnectListener listener) {
        connect(server, 0, listener);
    }

    @Override
    public void connect(Server server, long extraCapabilities, ConnectListener listener) {
        session.connectFor(nested, server, extraCapabilities, listener);
    }

    @Override
    public void open(Target t, ConnectListener listener) {
        session.openFor(nested, t, listener);
    }

    @Override
    public long clientCapabilities() {
        return session.clientCapabilities();
    }

    @Override
    public void ready() {
        if (ready || !open) {
            return;
        }
        ready = true;
        ConnectListener l = pending;
        pending = null;
        if (l != null) {
            l.connected(this);
        }
    }

    @Override
    public void fail(int errorCode, String sqlState, String message) {
        if (!ready) {
            failStart("service " + service.name() + " refused the session: " + message + " (" + errorCode + ")");
        } else {
            failed(message);
        }
    }

    @Override
    public void writeToClient(ByteBuf packet) {
        if (!open) {
            packet.release();
            return;
        }
        try {
            tracker.onPacket(packet);
        } catch (RuntimeException e) {
            session.logMalformedReply(e);
        }
        owner.clientReply(packet, this, tracker);
    }

    @Override
    public void replyError(int errorCode, String sqlState, String message) {
        int sequence = tracker.rowCount() == 0 && tracker.state() == dev.sluice.api.reply.Reply.State.START
                ? lastRequestSequence + 1 : lastRequestSequence + 2;
        writeToClient(new ErrPacket(errorCode, sqlState, message).encode(session.alloc(), sequence & 0xff));
    }

    @Override
    public void closeSession(String reason) {
        failed(reason);
    }

    @Override
    public QueryClassifier classifier() {
        return session.classifier();
    }

    @Override
    public boolean clientWaitingForReply() {
        return isBusy();
    }

    @Override
    public Runnable schedule(long delayMillis, Runnable task) {
        return session.schedule(delayMillis, () -> {
            if (open) {
                task.run();
            }
        });
    }

    @Override
    public String toString() {
        return "service " + service.name() + " for session " + session.sessionId();
    }
}
