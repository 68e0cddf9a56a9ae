package dev.sluice.server.session;

import dev.sluice.api.chain.Request;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryClassifier;
import dev.sluice.api.router.Endpoint;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.api.server.Server;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ProxyError;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.core.ServiceRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in client's session: the core side of its router session. It frames client requests into
 * commands (telling continuation and LOCAL INFILE data apart from new commands), answers the commands the
 * proxy owns (COM_QUIT, KILL, COM_CHANGE_USER, unknown commands), hands the rest to the router, relays
 * replies, flushes once per read batch and applies back-pressure both ways. Confined to its worker.
 */
public final class ClientSession implements RouterSessionContext, BackendOwner, Request.Classifier, FilterChain.Client {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final ClientConnection connection;
    private final Channel channel;
    private final Worker worker;
    private final ListenerContext listener;
    private final ServiceRuntime service;
    private final long id;
    private final String clientHost;
    private final byte[] scramble;
    private final boolean tls;
    private final long connectedAtMillis = System.currentTimeMillis();
    private List<Server> servers; // worker only: replaced by a restart
    private RouterSession router; // worker only: replaced by a restart
    private ServiceRuntime.Snapshot snapshot; // worker only: the configuration the session runs with
    private final SessionCommands commands;
    /** The statement context routers report (sql_mode, temporary tables …); requests are classified with it. */
    private QueryContext queryContext = QueryContext.DEFAULT;
    /** The session's filters in front of the router, or null when its service has none (the common case). */
    private FilterChain filters;

    // all below: confined to the worker's event loop
    LoginRequest login;
    private final List<BackendConnection> endpoints = new ArrayList<>(2);
    private final List<BackendConnection> dirty = new ArrayList<>(2);
    private int loginSequence;
    private boolean started;
    private boolean closed;
    private boolean clientDirty;
    private boolean clientContinuation;
    private boolean awaitingReply;
    private boolean replyStarted;
    private boolean closeWhenIdle;
    private int lastClientSequence;
    private int lastSequenceToClient;
    long queries;
    private long lastActivityMillis = System.currentTimeMillis();

    ClientSession(ClientConnection connection, Channel channel, Worker worker, ListenerContext listener, long id,
                  LoginRequest login, String clientHost, byte[] scramble, int loginSequence, boolean tls) {
        this.connection = connection;
        this.channel = channel;
        this.worker = worker;
        this.listener = listener;
        this.service = listener.service();
        this.id = id;
        this.login = login;
        this.clientHost = clientHost;
        this.scramble = scramble;
        this.loginSequence = loginSequence;
        this.tls = tls;
        ServiceRuntime.Snapshot config = service.snapshot(); // one router and server list for the session's life
        this.snapshot = config;
        this.servers = config.serversAsApi();
        this.router = config.router().newSession(this);
        this.commands = new SessionCommands(this);
        this.filters = FilterChain.of(config.filters(), this, router);
    }

    void start() {
        service.currentSessions.incrementAndGet();
        service.totalSessions.increment();
        listener.registry().add(this);
        worker.add(this);
        try {
            router.start();
        } catch (RuntimeException e) {
            log.error("Session {}: router failed to start", id, e);
            fail(ProxyError.INTERNAL.code(), ProxyError.INTERNAL.sqlState(), "Internal error: router failed to start");
        }
    }

    // ---- requests from the client

    void fromClient(ByteBuf packet) {
        lastActivityMillis = System.currentTimeMillis();
        if (closed) {
            packet.release();
            return;
        }
        if (restartPending) {
            restartIfSafe(); // before the command: the new router session routes it
        }
        if (restarting || !heldDuringRestart.isEmpty() && !replayingHeld) {
            heldDuringRestart.add(packet); // ownership kept until replayHeld() or closeSession()
            return;
        }
        int sequence = Packets.sequence(packet);
        if (clientContinuation || uploading()) {
            clientContinuation = Packets.payloadLength(packet) == Packets.MAX_PAYLOAD;
            lastClientSequence = sequence;
            route(new Request(packet, -1, this));
            return;
        }
        clientContinuation = Packets.payloadLength(packet) == Packets.MAX_PAYLOAD;
        lastClientSequence = sequence;
        replyStarted = false;
        int command = Packets.firstByte(packet);
        if (commands.awaitingAuthSwitchResponse()) {
            commands.intercept(packet, command);
            return;
        }
        if (sequence != 0) {
            packet.release();
            replyError(ProxyError.PACKETS_OUT_OF_ORDER.packet());
            closeSession("packets out of order");
            return;
        }
        queries++;
        if (commands.intercept(packet, command)) {
            return;
        }
        if (!Command.isKnown(command)) {
            packet.release();
            replyError(ProxyError.UNKNOWN_COMMAND.packet());
            return;
        }
        awaitingReply = !Command.expectsNoReply(command);
        service.routedPackets.increment();
        route(new Request(packet, command, this));
    }

    /** Down the chain: the filters, if the session has any, then the router. */
    private void route(Request request) {
        try {
            if (filters == null) {
                router.routeQuery(request);
            } else {
                filters.routeQuery(request);
            }
        } catch (RuntimeException e) {
            request.release(); // unless a link took it over already
            routerFailed("routing", e);
        }
    }

    /** A bug in a router must not escape to the worker: this session ends with an error, the others carry on. */
    private void routerFailed(String what, RuntimeException e) {
        log.error("Session {}: router failed while {}; closing the session", id, what, e);
        if (!closed) {
            replyError(ProxyError.INTERNAL.packet("router failure while " + what));
            closeSession("router failure");
        }
    }

    private boolean uploading() {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).isLocalInfileUpload()) {
                return true;
            }
        }
        return false;
    }

    void clientReadComplete() {
        flushBackends();
        flushClient();
    }

    private void flushBackends() {
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush();
        }
        dirty.clear();
    }

    private void flushClient() {
        if (clientDirty) {
            clientDirty = false;
            channel.flush();
        }
    }

    void clientWritabilityChanged(boolean writable) {
        for (BackendConnection b : endpoints) {
            b.setAutoRead(writable);
        }
    }

    // ---- BackendOwner

    @Override
    public void backendReply(BackendConnection backend, ByteBuf packet, boolean replyComplete) {
        if (closed) {
            packet.release();
            return;
        }
        if (replyComplete && !anyBusy()) {
            awaitingReply = false;
        }
        try {
            router.clientReply(packet, backend, backend.reply());
        } catch (RuntimeException e) {
            routerFailed("relaying a reply", e);
            return;
        }
        if (closeWhenIdle && !awaitingReply) {
            flushClient();
            closeSession("shutting down");
        } else if (restartPending && replyComplete) {
            flushClient();
            restartIfSafe();
        }
    }

    private boolean anyBusy() {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).isBusy()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void backendFailed(BackendConnection backend, String reason, boolean replyInProgress) {
        if (handover.remove(backend)) {
            return; // between two router sessions: neither knows it
        }
        endpoints.remove(backend);
        dirty.remove(backend);
        if (!closed) {
            log.info("Session {}: {} failed: {}", id, backend, reason);
            try {
                router.endpointFailed(backend, reason, replyInProgress);
            } catch (RuntimeException e) {
                routerFailed("handling a backend failure", e);
                return;
            }
            flushBackends(); // a router may re-send the request elsewhere from endpointFailed
            flushClient();
        }
    }

    @Override
    public void backendWritten(BackendConnection backend) {
        if (!dirty.contains(backend)) {
            dirty.add(backend);
        }
    }

    @Override
    public void backendReadComplete(BackendConnection backend) {
        // a router may write requests while handling a reply (queued requests, replays on a new connection)
        flushBackends();
        flushClient();
    }

    @Override
    public void backendWritabilityChanged(BackendConnection backend, boolean writable) {
        channel.config().setAutoRead(writable);
    }

    // ---- RouterSessionContext

    @Override
    public long sessionId() {
        return id;
    }

    @Override
    public String user() {
        return login.user();
    }

    @Override
    public String clientHost() {
        return clientHost;
    }

    @Override
    public List<Server> servers() {
        return servers;
    }

    @Override
    public void connect(Server server, ConnectListener connectListener) {
        connect(server, 0, connectListener);
    }

    @Override
    public long clientCapabilities() {
        return login.capabilities();
    }

    @Override
    public void connect(Server server, long extraCapabilities, ConnectListener connectListener) {
        LoginRequest backendLogin = extraCapabilities == 0 ? login
                : login.withCapabilities(login.capabilities() | extraCapabilities);
        ServerRuntime target = (ServerRuntime) server;
        BackendConnection kept = takeHandover(target);
        if (kept != null) {
            // answered asynchronously, as for any other connection
            channel.eventLoop().execute(() -> {
                if (kept.isOpen()) {
                    attach(kept, connectListener);
                } else {
                    openNew(target, backendLogin, connectListener);
                }
            });
            return;
        }
        BackendConnection pooled = null;
        if (target.capabilities() != ServerRuntime.UNKNOWN_CAPABILITIES) {
            long caps = BackendConnection.backendCapabilities(backendLogin.capabilities(), target.capabilities());
            pooled = worker.pool().take(target, caps);
        }
        if (pooled != null) {
            pooled.changeUser(backendLogin, this, (b, failure, finalPacket) -> {
                if (finalPacket != null) {
                    finalPacket.release();
                }
                if (failure == null) {
                    attach(b, connectListener);
                } else {
                    b.close();
                    openNew(target, backendLogin, connectListener);
                }
            });
            return;
        }
        openNew(target, backendLogin, connectListener);
    }

    private void openNew(ServerRuntime target, LoginRequest backendLogin, ConnectListener connectListener) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, snapshot.settings().connectTimeout().toMillis());
        BackendConnection.open(target, worker, backendLogin, this, timeout, (b, failure, finalPacket) -> {
            if (failure == null) {
                attach(b, connectListener);
            } else {
                connectListener.failed(failure);
                flushBackends(); // the router may have routed a waiting request elsewhere
            }
        });
    }

    private void attach(BackendConnection b, ConnectListener connectListener) {
        if (closed) {
            b.close();
            connectListener.failed("session closed");
            return;
        }
        endpoints.add(b);
        if (!channel.isWritable()) {
            b.setAutoRead(false);
        }
        connectListener.connected(b);
    }

    @Override
    public Runnable schedule(long delayMillis, Runnable task) {
        RouterSession scheduler = router; // a timer of a router session replaced by a restart never runs
        io.netty.util.concurrent.ScheduledFuture<?> f = channel.eventLoop().schedule(() -> {
            if (closed || router != scheduler) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                routerFailed("running a timer", e);
                return;
            }
            flushBackends();
            flushClient();
        }, delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public QueryClassifier classifier() {
        return worker.classifier();
    }

    @Override
    public void ready() {
        if (restarting && !closed) {
            restarting = false;
            channel.eventLoop().execute(this::replayHeld); // not from inside the router's callback
            return;
        }
        if (started || closed) {
            return;
        }
        started = true;
        connection.sessionReady(loginSequence + 1);
    }

    @Override
    public void fail(int errorCode, String sqlState, String message) {
        if (closed) {
            return;
        }
        ErrPacket err = new ErrPacket(errorCode, sqlState, message);
        channel.writeAndFlush(err.encode(channel.alloc(), (loginSequence + 1) & 0xff))
                .addListener(ChannelFutureListener.CLOSE);
        closeSession("refused: " + message);
    }

    /** A packet of the router's for the client: through the filters that handle replies, if any, to the client. */
    @Override
    public void writeToClient(ByteBuf packet) {
        if (filters != null && filters.handlesReplies()) {
            filters.clientReply(packet);
        } else {
            toClient(packet);
        }
    }

    /** A packet to the client itself, ownership transferred (past the filters: what the core answers by itself). */
    @Override
    public void toClient(ByteBuf packet) {
        replyStarted = true;
        lastSequenceToClient = Packets.sequence(packet);
        clientDirty = true;
        channel.write(packet, channel.voidPromise());
    }

    /** The router answers the request with an ERR: through the filters that handle replies, as its other packets. */
    @Override
    public void replyError(int errorCode, String sqlState, String message) {
        awaitingReply = false;
        writeToClient(new ErrPacket(errorCode, sqlState, message).encode(channel.alloc(), nextReplySequence()));
        flushClient();
    }

    /** The core answers the request with an ERR, past the filters. */
    void replyError(ErrPacket err) {
        awaitingReply = false;
        toClient(err.encode(channel.alloc(), nextReplySequence()));
        flushClient();
    }

    /** The sequence number of the next packet to the client: after the last one sent, or after the request. */
    @Override
    public int nextReplySequence() {
        return (replyStarted ? lastSequenceToClient + 1 : lastClientSequence + 1) & 0xff;
    }

    /** A filter got a reply packet its framing cannot read (it still gets the packet). */
    @Override
    public void logMalformedReply(RuntimeException e) {
        log.debug("Session {}: reply packet not understood by a filter's framing: {}", id, e.toString());
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    // ---- Request.Classifier

    @Override
    public QueryContext context() {
        return queryContext;
    }

    @Override
    public QueryInfo classify(ByteBuf text, QueryContext context) {
        return classifier().classify(text, context);
    }

    @Override
    public void queryContext(QueryContext context) {
        queryContext = context;
    }

    @Override
    public void replyWritten() {
        awaitingReply = false;
    }

    @Override
    public boolean clientWaitingForReply() {
        return awaitingReply;
    }

    @Override
    public void closeSession(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        log.debug("Session {} closed: {}", id, reason);
        connection.sessionClosed();
        if (filters != null) {
            try {
                filters.close();
            } catch (RuntimeException e) {
                log.warn("Session {}: filter close failed", id, e);
            }
        }
        try {
            router.close();
        } catch (RuntimeException e) {
            log.warn("Session {}: router close failed", id, e);
        }
        for (BackendConnection b : endpoints) {
            if (!worker.pool().offer(b)) {
                b.close();
            }
        }
        endpoints.clear();
        dirty.clear();
        releaseHandover();
        releaseHeld();
        listener.registry().remove(this);
        worker.remove(this);
        service.currentSessions.decrementAndGet();
        flushClient();
        if (channel.isActive()) {
            channel.close();
        }
        service.release();
    }

    // ---- used by SessionCommands and administration

    /** COM_CHANGE_USER succeeded on every backend: the router forgets the old user's session state. */
    void routerUserChanged() {
        try {
            router.userChanged();
        } catch (RuntimeException e) {
            routerFailed("handling a change of user", e);
        }
    }

    List<BackendConnection> endpoints() {
        return endpoints;
    }

    public Worker worker() {
        return worker;
    }

    Channel channel() {
        return channel;
    }

    ListenerContext listener() {
        return listener;
    }

    ServiceRuntime service() {
        return service;
    }

    byte[] scramble() {
        return scramble;
    }

    boolean isTls() {
        return tls;
    }

    int lastClientSequence() {
        return lastClientSequence;
    }

    void setLastClientSequence(int seq) {
        lastClientSequence = seq;
    }

    void markAwaitingReply(boolean waiting) {
        awaitingReply = waiting;
    }

    boolean isClosed() {
        return closed;
    }

    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    public long lastActivityMillis() {
        return lastActivityMillis;
    }

    /** connection_keepalive: ping the backends of a session that has been quiet that long. Call on the worker. */
    void keepaliveTick(long nowMillis) {
        long keepalive = snapshot.settings().connectionKeepalive().toMillis();
        if (keepalive <= 0 || closed || awaitingReply || nowMillis - lastActivityMillis < keepalive) {
            return;
        }
        lastActivityMillis = nowMillis;
        for (BackendConnection b : endpoints) {
            b.keepalivePing();
        }
    }

    /** wait_timeout elapsed with the client silent. */
    void idleTimeout() {
        if (!awaitingReply && !closed) {
            ErrPacket err = ProxyError.IDLE_TIMEOUT.packet();
            channel.writeAndFlush(err.encode(channel.alloc(), 0)).addListener(ChannelFutureListener.CLOSE);
            closeSession("idle for longer than wait_timeout");
        }
    }

    /** Graceful shutdown: close now if idle, otherwise after the reply in flight. Call on the worker. */
    public void shutdown() {
        if (!awaitingReply) {
            closeSession("shutting down");
        } else {
            closeWhenIdle = true;
        }
    }

    // ---- read by the admin REST API: call on the worker (worker() and the final fields from any thread)

    public String listenerName() {
        return listener.listenerName();
    }

    public String serviceName() {
        return service.name();
    }

    public long queryCount() {
        return queries;
    }

    /** "Started", "Stopping" (closes after the reply in flight) or "Stopped". */
    public String state() {
        return closed ? "Stopped" : closeWhenIdle ? "Stopping" : "Started";
    }

    /** Killed by another session (KILL CONNECTION) or by an operator. Call on the worker. */
    public void kill() {
        if (!closed) {
            ErrPacket err = new ErrPacket(1927, "70100", "Connection was killed");
            channel.writeAndFlush(err.encode(channel.alloc(), (replyStarted ? lastSequenceToClient : lastClientSequence)
                    + 1 & 0xff));
            closeSession("killed");
        }
    }

    // ---- restart (POST /v1/sessions/:id/restart): the service's current configuration, same client connection

    // worker only: a restart was asked for and waits for a safe point
    private boolean restartPending;
    // worker only: the old router session's backend connections, offered to the new one's connect() calls
    private final List<BackendConnection> handover = new ArrayList<>(2);
    // worker only: the new router session has started but not yet called ready()
    private boolean restarting;
    // worker only: client packets that arrived while restarting, owned here until replayed or released
    private final java.util.ArrayDeque<ByteBuf> heldDuringRestart = new java.util.ArrayDeque<>();
    private boolean replayingHeld;

    /**
     * Makes the session take the service's current snapshot (router and its parameters, service parameters,
     * servers) at its next safe point: now if it is idle, else when the reply in flight is complete and no
     * transaction is open. The client keeps its connection. The old router session is closed and the new one
     * started; when it connects to a server the old one was connected to, it gets that very connection, so
     * the session state kept on it (default database, variables, temporary tables) carries over. Connections
     * it does not ask for while starting go back to the pool. Call on the worker.
     */
    public void requestRestart() {
        if (closed) {
            return;
        }
        restartPending = true;
        restartIfSafe();
    }

    /** True while a restart waits for its safe point. Call on the worker. */
    public boolean restartPending() {
        return restartPending;
    }

    /** The version of the service snapshot this session runs with. Call on the worker. */
    public long snapshotVersion() {
        return snapshot.version();
    }

    /** The version of the service's current snapshot (what a restart would take). Any thread. */
    public long latestSnapshotVersion() {
        return service.snapshot().version();
    }

    private void restartIfSafe() {
        if (!restartPending || closed || !started || restarting || awaitingReply || clientContinuation || uploading()
                || commands.awaitingAuthSwitchResponse() || anyBusy() || inTransaction()) {
            return;
        }
        restartPending = false;
        ServiceRuntime.Snapshot next = service.snapshot();
        flushBackends();
        handover.addAll(endpoints);
        endpoints.clear();
        RouterSession old = router;
        if (filters != null) {
            try {
                filters.close();
            } catch (RuntimeException e) {
                log.warn("Session {}: filter close failed during a restart", id, e);
            }
            filters = null;
        }
        try {
            old.close();
        } catch (RuntimeException e) {
            log.warn("Session {}: router close failed during a restart", id, e);
        }
        snapshot = next;
        servers = next.serversAsApi();
        restarting = true; // like a new session: no request reaches the router before it is ready()
        try {
            router = next.router().newSession(this);
            filters = FilterChain.of(next.filters(), this, router); // the service's filters as they are now
            router.start();
        } catch (RuntimeException e) {
            routerFailed("restarting", e);
            return;
        }
        log.info("Session {} restarted with snapshot {} of service {}", id, next.version(), service.name());
        releaseHandover();
        flushBackends();
        flushClient();
    }

    /** The restarted router session is ready: the requests the client sent meanwhile go to it, in order. */
    private void replayHeld() {
        replayingHeld = true;
        try {
            ByteBuf p;
            while (!restarting && !closed && (p = heldDuringRestart.poll()) != null) {
                fromClient(p);
            }
        } finally {
            replayingHeld = false;
        }
        if (closed) {
            releaseHeld();
        }
        flushBackends();
        flushClient();
    }

    private void releaseHeld() {
        ByteBuf p;
        while ((p = heldDuringRestart.poll()) != null) {
            p.release();
        }
    }

    private boolean inTransaction() {
        for (int i = 0; i < endpoints.size(); i++) {
            if (endpoints.get(i).inTransaction()) {
                return true;
            }
        }
        return false;
    }

    private BackendConnection takeHandover(ServerRuntime server) {
        for (int i = 0; i < handover.size(); i++) {
            BackendConnection b = handover.get(i);
            if (b.server() == server && b.isOpen()) {
                return handover.remove(i);
            }
        }
        return null;
    }

    private void releaseHandover() {
        for (BackendConnection b : handover) {
            if (!worker.pool().offer(b)) {
                b.close();
            }
        }
        handover.clear();
    }
}
