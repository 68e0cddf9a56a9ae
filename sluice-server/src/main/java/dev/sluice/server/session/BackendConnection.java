package dev.sluice.server.session;

import dev.sluice.api.reply.Reply;
import dev.sluice.api.router.Endpoint;
import dev.sluice.api.server.Server;
import dev.sluice.protocol.Capability;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.LengthEncoded;
import dev.sluice.protocol.PacketDecoder;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ProtocolException;
import dev.sluice.protocol.ReplyTracker;
import dev.sluice.protocol.message.client.HandshakeResponse;
import dev.sluice.protocol.message.server.AuthSwitchRequest;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.protocol.message.server.HandshakeV10;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.core.ServerStatistics;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection from Sluice to a backend server, on the worker of the session that uses it (or of the
 * pool that keeps it). It logs in on the client's behalf with a token computed from H1, then forwards
 * request packets down and reply packets up, following each reply with a {@link ReplyTracker}. When a
 * session ends it may go back to its worker's pool and later be reset for another client with
 * COM_CHANGE_USER. Every field is confined to the worker's event loop.
 */
public final class BackendConnection extends ChannelInboundHandlerAdapter implements Endpoint {
    private static final Logger log = LoggerFactory.getLogger(BackendConnection.class);

    /** Where the connection is in its life. */
    enum State { CONNECTING, AWAIT_GREETING, TLS_HANDSHAKE, AWAIT_AUTH_RESULT, READY, CHANGING_USER, POOLED, CLOSED }

    /** Outcome of a login or reset: null on success, else the reason (ERR text or failure). */
    interface LoginCallback {
        void done(BackendConnection backend, String failure, ByteBuf finalPacket);
    }

    private final ServerRuntime server;
    private final Worker worker;
    private Channel channel;
    private State state = State.CONNECTING;
    private BackendOwner owner;
    private LoginRequest login;
    private LoginCallback loginCallback;
    private long capabilities;
    private byte[] scramble;
    private long threadId;
    private int authSequence;
    private ReplyTracker tracker;
    private long idleSinceNanos;
    private boolean counted;
    private int internalPings;
    // this worker's statistics slot of the server; operation fields below are confined to the worker
    private final ServerStatistics.Slot statistics;
    private boolean operationActive;
    private long operationStartNanos;
    /** A COM_CHANGE_USER waiting for the reply in progress (a router's own query, a keepalive ping); its callback. */
    private Runnable deferredChangeUser;
    private LoginCallback deferredCallback;

    BackendConnection(ServerRuntime server, Worker worker) {
        this.server = server;
        this.worker = worker;
        this.statistics = server.statistics.slot(worker.index());
    }

    /** Opens a new connection and logs in; the callback runs on the worker. */
    static void open(ServerRuntime server, Worker worker, LoginRequest login, BackendOwner owner,
                     int connectTimeoutMillis, LoginCallback callback) {
        BackendConnection b = new BackendConnection(server, worker);
        b.owner = owner;
        b.login = login;
        b.loginCallback = callback;
        Bootstrap bootstrap = new Bootstrap()
                .group(worker.eventLoop())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, worker.workers.waterMark())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("framer", new PacketDecoder()).addLast("backend", b);
                    }
                });
        if (server.socket().isEmpty()) {
            bootstrap.channel(worker.transport().socketChannel()).option(ChannelOption.TCP_NODELAY, true);
            bootstrap.connect(new InetSocketAddress(server.address(), server.port())).addListener(
                    (ChannelFutureListener) f -> b.connected(f.isSuccess() ? null : f.cause()));
        } else {
            bootstrap.channel(worker.transport().domainSocketChannel());
            bootstrap.connect(worker.transport().domainSocketAddress(server.socket())).addListener(
                    (ChannelFutureListener) f -> b.connected(f.isSuccess() ? null : f.cause()));
        }
    }

    private void connected(Throwable cause) {
        if (cause != null) {
            state = State.CLOSED;
            finishLogin("connect failed: " + describe(cause), null);
            return;
        }
        if (!server.tryRetain()) {
            // the server was destroyed while we connected: never use a released server
            state = State.CLOSED;
            channel.close();
            finishLogin("server " + server.name() + " was removed", null);
            return;
        }
        server.connections.incrementAndGet();
        server.totalConnections.increment();
        counted = true;
        state = State.AWAIT_GREETING;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf packet = (ByteBuf) msg;
        switch (state) {
            case READY -> {
                if (internalPings > 0) {
                    // the reply (one OK or ERR packet) to a keepalive ping the client never sent
                    internalPings--;
                    packet.release();
                    runDeferredChangeUser();
                    return;
                }
                boolean complete;
                try {
                    complete = tracker.onPacket(packet);
                    if (complete && operationActive && !tracker.isBusy()) {
                        operationActive = false;
                        statistics.operationEnded(System.nanoTime() - operationStartNanos,
                                tracker.isResultSet());
                    }
                } catch (RuntimeException e) {
                    // garbage from the server: this connection is unusable, the session hears about it
                    packet.release();
                    fail("malformed reply from server: " + describe(e));
                    return;
                }
                if (owner != null) {
                    owner.backendReply(this, packet, complete);
                } else {
                    packet.release();
                }
                if (complete) {
                    runDeferredChangeUser();
                }
            }
            case AWAIT_GREETING -> handle(packet, this::onGreeting);
            case AWAIT_AUTH_RESULT, CHANGING_USER -> handle(packet, this::onAuthResult);
            default -> {
                packet.release();
                fail("unexpected packet in state " + state);
            }
        }
    }

    private void handle(ByteBuf packet, Consumer<ByteBuf> step) {
        try {
            step.accept(packet);
        } catch (ProtocolException | IndexOutOfBoundsException e) {
            fail("protocol error during login: " + e.getMessage());
        } finally {
            if (packet.refCnt() > 0) {
                packet.release();
            }
        }
    }

    private void onGreeting(ByteBuf packet) {
        if (ErrPacket.is(packet)) {
            ErrPacket err = ErrPacket.decode(packet);
            fail(err.message());
            return;
        }
        HandshakeV10 greeting = HandshakeV10.decode(packet);
        server.observeGreeting(greeting.capabilities(), greeting.serverVersion());
        scramble = greeting.scramble();
        threadId = greeting.connectionId();
        capabilities = backendCapabilities(login.capabilities(), greeting.capabilities());
        tracker = new ReplyTracker(Capability.has(capabilities, Capability.DEPRECATE_EOF),
                Capability.has(capabilities, Capability.SESSION_TRACK));
        if (server.sslContext() != null) {
            if (!Capability.has(greeting.capabilities(), Capability.SSL)) {
                fail("server has ssl=true but does not offer TLS");
                return;
            }
            channel.writeAndFlush(HandshakeResponse.encodeSslRequest(channel.alloc(), capabilities, Packets.MAX_PAYLOAD,
                    login.collation()));
            SslHandler ssl = server.sslContext().newHandler(channel.alloc(), server.address(), server.port());
            channel.pipeline().addFirst("tls", ssl);
            state = State.TLS_HANDSHAKE;
            authSequence = 2;
            return;
        }
        authSequence = 1;
        sendHandshakeResponse();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && state == State.TLS_HANDSHAKE) {
            if (e.isSuccess()) {
                sendHandshakeResponse();
            } else {
                fail("TLS handshake failed: " + describe(e.cause()));
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void sendHandshakeResponse() {
        byte[] token = login.backendToken(scramble);
        if (token == null) {
            fail("authenticator " + login.authenticator().clientPlugin() + " cannot log in to servers");
            return;
        }
        HandshakeResponse response = new HandshakeResponse(capabilities, Packets.MAX_PAYLOAD, login.collation(),
                login.user(), token, login.database(), login.authenticator().backendPlugin(),
                login.connectAttributes());
        channel.writeAndFlush(response.encode(channel.alloc(), authSequence));
        state = State.AWAIT_AUTH_RESULT;
    }

    /** The capabilities to ask of the backend: the client's format-relevant ones the server also has. */
    static long backendCapabilities(long client, long serverCaps) {
        long caps = client & Capability.PROXY_SUPPORTED & serverCaps & ~Capability.PER_HOP;
        caps |= Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION | Capability.PLUGIN_AUTH
                | Capability.TRANSACTIONS;
        caps |= serverCaps & (Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capability.CONNECT_ATTRS
                | Capability.CONNECT_WITH_DB);
        if (Capability.has(serverCaps, Capability.CLIENT_MYSQL)) {
            // a MySQL server: no MariaDB extended capabilities
            caps = (caps & 0xffffffffL) | Capability.CLIENT_MYSQL;
        } else {
            caps &= ~Capability.CLIENT_MYSQL;
        }
        return caps;
    }

    private void onAuthResult(ByteBuf packet) {
        int first = Packets.firstByte(packet);
        if (first == 0x00) {
            boolean reset = state == State.CHANGING_USER;
            state = State.READY;
            tracker.commandSent(-1);
            tracker.onPacket(packet); // picks up the status flags of the login OK
            finishLogin(null, reset ? packet.retain() : null);
        } else if (first == 0xff) {
            ErrPacket err = ErrPacket.decode(packet);
            String reason = err.message();
            if (state == State.CHANGING_USER) {
                state = State.READY;
                finishLogin(reason, packet.retain());
            } else {
                fail(reason);
            }
        } else if (first == 0xfe) {
            AuthSwitchRequest sw = AuthSwitchRequest.decode(packet);
            String plugin = login.authenticator().backendPlugin();
            byte[] token = sw.pluginName().equals(plugin) ? login.backendToken(sw.pluginData()) : null;
            if (token == null) {
                fail("server asked for authentication plugin " + sw.pluginName() + " (Sluice logs in with "
                        + plugin + ")");
                return;
            }
            scramble = sw.pluginData();
            ByteBuf reply = Packets.start(channel.alloc(), token.length);
            reply.writeBytes(token);
            channel.writeAndFlush(Packets.finish(reply, Packets.sequence(packet) + 1));
        } else {
            fail("unexpected packet 0x" + Integer.toHexString(first) + " during login");
        }
    }

    /**
     * Logs in again as another user (COM_CHANGE_USER): to reuse a pooled connection for a new session, or
     * for a client's own COM_CHANGE_USER. The callback gets the server's final OK or ERR packet (retained,
     * the callback owns it) when {@code wantFinalPacket}.
     */
    void changeUser(LoginRequest newLogin, BackendOwner newOwner, LoginCallback callback) {
        if (state == State.READY && (tracker.isBusy() || internalPings > 0)) {
            // a reply is still coming (e.g. to a query the router sent of its own): the server would take
            // COM_CHANGE_USER after it, but its packets must not be read as the login's
            deferredChangeUser = () -> changeUser(newLogin, newOwner, callback);
            deferredCallback = callback;
            return;
        }
        this.login = newLogin;
        this.owner = newOwner;
        this.loginCallback = callback;
        state = State.CHANGING_USER;
        ByteBuf p = Packets.start(channel.alloc(), 64 + newLogin.user().length());
        p.writeByte(Command.COM_CHANGE_USER);
        LengthEncoded.writeNulTerminated(p, newLogin.user());
        byte[] token = newLogin.backendToken(scramble);
        if (token == null) {
            token = new byte[0]; // the server refuses the change; the callback hears of it
        }
        p.writeByte(token.length).writeBytes(token);
        LengthEncoded.writeNulTerminated(p, newLogin.database() == null ? "" : newLogin.database());
        p.writeShortLE(newLogin.collation());
        LengthEncoded.writeNulTerminated(p, newLogin.authenticator().backendPlugin());
        if (Capability.has(capabilities, Capability.CONNECT_ATTRS)) {
            LengthEncoded.writeBytes(p, newLogin.connectAttributes());
        }
        channel.writeAndFlush(Packets.finish(p, 0));
    }

    private void finishLogin(String failure, ByteBuf finalPacket) {
        LoginCallback cb = loginCallback;
        loginCallback = null;
        if (cb != null) {
            cb.done(this, failure, finalPacket);
        } else if (finalPacket != null) {
            finalPacket.release();
        }
    }

    private void runDeferredChangeUser() {
        Runnable r = deferredChangeUser;
        if (r != null && state == State.READY && !tracker.isBusy() && internalPings == 0) {
            deferredChangeUser = null;
            deferredCallback = null;
            r.run();
        }
    }

    private void fail(String reason) {
        State was = state;
        boolean inProgress = was == State.READY && tracker != null && tracker.isBusy();
        LoginCallback deferred = deferredCallback;
        deferredChangeUser = null;
        deferredCallback = null;
        close();
        if (deferred != null) {
            deferred.done(this, reason, null); // as a COM_CHANGE_USER that failed
            return;
        }
        if (loginCallback != null) {
            finishLogin(reason, null);
        } else if (owner != null && was != State.POOLED) {
            BackendOwner o = owner;
            owner = null;
            o.backendFailed(this, reason, inProgress);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.POOLED) {
            worker.pool().remove(this);
        }
        if (state != State.CLOSED) {
            fail("connection closed by server");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (state != State.CLOSED) {
            log.debug("Backend {} error: {}", server.name(), describe(cause));
            fail(describe(cause));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // in any state with an owner: a router that closed this connection while handling its reply (a replica
        // dropped for a differing session-command reply) may have written to another one, which needs the flush
        if (owner != null) {
            owner.backendReadComplete(this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.backendWritabilityChanged(this, ctx.channel().isWritable());
        }
    }

    // ---- Endpoint

    @Override
    public Server server() {
        return server;
    }

    @Override
    public void write(ByteBuf packet, int command) {
        if (state != State.READY) {
            packet.release();
            return;
        }
        if (command >= 0) {
            tracker.commandSent(command);
            if (!operationActive && tracker.isBusy()) {
                operationActive = true;
                operationStartNanos = System.nanoTime();
                statistics.operationStarted();
            }
        } else if (tracker.isLocalInfileUpload() && Packets.payloadLength(packet) == 0) {
            tracker.uploadFinished();
        }
        server.routedPackets.increment();
        channel.write(packet, channel.voidPromise());
        owner.backendWritten(this);
    }

    /**
     * Sends a COM_PING of Sluice's own (connection_keepalive) if the connection is idle; its reply is
     * consumed here. Replies arrive in order, so a client request written after the ping is unaffected.
     */
    void keepalivePing() {
        if (state != State.READY || tracker.isBusy() || internalPings > 0) {
            return;
        }
        internalPings++;
        ByteBuf ping = Packets.start(channel.alloc(), 1).writeByte(Command.COM_PING);
        channel.writeAndFlush(Packets.finish(ping, 0), channel.voidPromise());
    }

    void flush() {
        if (channel != null) {
            channel.flush();
        }
    }

    void setAutoRead(boolean on) {
        if (channel != null) {
            channel.config().setAutoRead(on);
        }
    }

    boolean isWritable() {
        return channel != null && channel.isWritable();
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

    /** The reply in progress (or the last one), as the framing read it. */
    Reply reply() {
        return tracker;
    }

    boolean isLocalInfileUpload() {
        return tracker != null && tracker.isLocalInfileUpload();
    }

    @Override
    public long backendThreadId() {
        return threadId;
    }

    @Override
    public boolean isOpen() {
        return state == State.READY || state == State.CHANGING_USER;
    }

    boolean isReusable() {
        return state == State.READY && !tracker.isBusy() && !tracker.inTransaction() && internalPings == 0
                && channel.isActive();
    }

    /** Format-relevant capabilities; a pooled connection serves only sessions with the same ones. */
    @Override
    public long capabilities() {
        return capabilities;
    }

    // ---- pool

    void parkInPool() {
        owner = null;
        state = State.POOLED;
        idleSinceNanos = System.nanoTime();
        channel.config().setAutoRead(true);
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void takeFromPool() {
        state = State.READY;
    }

    /** Closes the connection politely (COM_QUIT, then close); idempotent. */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        State was = state;
        state = State.CLOSED;
        if (operationActive) {
            operationActive = false;
            statistics.operationAbandoned();
        }
        if (counted) {
            counted = false;
            server.connections.decrementAndGet();
            server.release();
        }
        if (channel != null && channel.isActive()) {
            if (was == State.READY || was == State.POOLED) {
                ByteBuf quit = Packets.start(channel.alloc(), 1).writeByte(Command.COM_QUIT);
                channel.writeAndFlush(Packets.finish(quit, 0)).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
        }
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    @Override
    public String toString() {
        return "backend " + server.name() + " thread " + threadId;
    }
}
