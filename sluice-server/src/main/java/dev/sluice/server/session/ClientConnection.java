package dev.sluice.server.session;

import dev.sluice.protocol.Capability;
import dev.sluice.protocol.PacketDecoder;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ProtocolException;
import dev.sluice.protocol.ProxyError;
import dev.sluice.protocol.ServerStatusFlag;
import dev.sluice.api.auth.Authenticator;
import dev.sluice.api.auth.Credential;
import dev.sluice.protocol.message.client.HandshakeResponse;
import dev.sluice.protocol.message.server.AuthSwitchRequest;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.protocol.message.server.HandshakeV10;
import dev.sluice.server.auth.UserAccount;
import dev.sluice.server.auth.UserAccounts;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.core.ServiceRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one connection: sends the handshake, authenticates the client against the cluster's
 * accounts (mysql_native_password, switching clients that start with another plugin), checks the default
 * database, then hands every packet to its {@link ClientSession}. One instance per client channel, confined
 * to that channel's event loop.
 */
public final class ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final long HANDSHAKE_TIMEOUT_SECONDS = 10;

    /** Where the connection is in its life. */
    enum State { AWAIT_RESPONSE, AWAIT_TLS_RESPONSE, AWAIT_AUTH_SWITCH, AUTHENTICATING, STARTING, ROUTING, CLOSED }

    private final ListenerContext listener;
    private Channel channel;
    private State state = State.AWAIT_RESPONSE;
    private long sessionId;
    private byte[] scramble;
    /** The authenticator whose plugin the client was last asked to use (the scramble is its challenge). */
    private Authenticator authenticator;
    private long offeredCapabilities;
    private HandshakeResponse response;
    private byte[] token;
    private int lastSequence;
    private boolean retriedAfterReload;
    private boolean switchedForAccount;
    private boolean tls;
    private boolean retainedService;
    private ClientSession session;
    private ScheduledFuture<?> handshakeTimer;

    public ClientConnection(ListenerContext listener) {
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ServiceRuntime service = listener.service();
        if (!service.tryRetain()) {
            sendAndClose(ProxyError.SERVICE_UNAVAILABLE.packet(service.name()), 0);
            return;
        }
        retainedService = true;
        if (!service.acceptsSessions()) { // destroyed or stopped while this connection was being accepted
            sendAndClose(ProxyError.SERVICE_UNAVAILABLE.packet(service.name()), 0);
            return;
        }
        int max = service.settings().maxConnections();
        if (max > 0 && service.currentSessions.get() >= max) {
            sendAndClose(ProxyError.TOO_MANY_CONNECTIONS.packet(), 0);
            return;
        }
        sessionId = listener.registry().nextId();
        authenticator = listener.authenticators().get(0);
        scramble = authenticator.newChallenge();
        offeredCapabilities = offeredCapabilities(service, listener.ssl() != null);
        HandshakeV10 hello = new HandshakeV10(service.versionString(), sessionId, scramble, offeredCapabilities,
                listener.defaultCollation(), ServerStatusFlag.AUTOCOMMIT, authenticator.clientPlugin());
        channel.writeAndFlush(hello.encode(channel.alloc()));
        handshakeTimer = channel.eventLoop().schedule(() -> {
            if (state.compareTo(State.AUTHENTICATING) < 0) {
                log.info("Client {} sent no handshake response within {}s; closing", clientHost(),
                        HANDSHAKE_TIMEOUT_SECONDS);
                sendAndClose(ProxyError.BAD_HANDSHAKE.packet(), lastSequence + 1);
            }
        }, HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** What the client is offered: what Sluice forwards, limited to what every known backend supports. */
    static long offeredCapabilities(ServiceRuntime service, boolean tls) {
        long caps = Capability.PROXY_SUPPORTED;
        for (ServerRuntime s : service.servers()) {
            long c = s.capabilities();
            if (c != ServerRuntime.UNKNOWN_CAPABILITIES) {
                caps &= c | Capability.SSL | Capability.CONNECT_ATTRS;
                if (Capability.has(c, Capability.CLIENT_MYSQL)) {
                    caps &= 0xffffffffL;
                }
            }
        }
        if (!tls) {
            caps &= ~Capability.SSL;
        }
        return caps;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf packet = (ByteBuf) msg;
        if (state == State.ROUTING) {
            session.fromClient(packet);
            return;
        }
        try {
            lastSequence = Packets.sequence(packet);
            switch (state) {
                case AWAIT_RESPONSE, AWAIT_TLS_RESPONSE -> onHandshakeResponse(packet);
                case AWAIT_AUTH_SWITCH -> onAuthSwitchResponse(packet);
                case CLOSED -> { }
                default -> sendAndClose(ProxyError.PACKETS_OUT_OF_ORDER.packet(), lastSequence + 1);
            }
        } catch (ProtocolException | IndexOutOfBoundsException e) {
            log.info("Client {}: bad handshake: {}", clientHost(), e.getMessage());
            sendAndClose(ProxyError.BAD_HANDSHAKE.packet(), lastSequence + 1);
        } finally {
            packet.release();
        }
    }

    private void onHandshakeResponse(ByteBuf packet) {
        int expected = state == State.AWAIT_TLS_RESPONSE ? 2 : 1;
        if (lastSequence != expected) {
            sendAndClose(ProxyError.PACKETS_OUT_OF_ORDER.packet(), lastSequence + 1);
            return;
        }
        if (state == State.AWAIT_RESPONSE && HandshakeResponse.isSslRequest(packet)) {
            if (listener.ssl() == null) {
                sendAndClose(ProxyError.BAD_HANDSHAKE.packet(), lastSequence + 1);
                return;
            }
            SslHandler ssl = listener.ssl().newHandler(channel.alloc());
            channel.pipeline().addFirst("tls", ssl);
            ((PacketDecoder) channel.pipeline().get("framer")).handOverBufferedBytesToTls();
            tls = true;
            state = State.AWAIT_TLS_RESPONSE;
            return;
        }
        if (listener.ssl() != null && !tls) {
            sendAndClose(new ErrPacket(1045, "28000", "Access denied: this listener requires TLS"), lastSequence + 1);
            return;
        }
        response = HandshakeResponse.decode(packet);
        String plugin = response.authPluginName();
        if (plugin.isEmpty() || plugin.equals(authenticator.clientPlugin())) {
            token = response.authResponse();
            authenticate();
        } else {
            // e.g. caching_sha2_password from MySQL clients: ask for the listener's first plugin
            switchTo(authenticator);
        }
    }

    /** Asks the client to answer a fresh challenge of {@code next} with its plugin (an AuthSwitchRequest). */
    private void switchTo(Authenticator next) {
        authenticator = next;
        scramble = next.newChallenge();
        state = State.AWAIT_AUTH_SWITCH;
        lastSequence++;
        channel.writeAndFlush(new AuthSwitchRequest(next.clientPlugin(), scramble).encode(channel.alloc(), lastSequence));
    }

    private void onAuthSwitchResponse(ByteBuf packet) {
        int len = Packets.payloadLength(packet);
        token = new byte[len];
        packet.getBytes(packet.readerIndex() + Packets.HEADER_SIZE, token);
        authenticate();
    }

    private void authenticate() {
        state = State.AUTHENTICATING;
        ServiceRuntime service = listener.service();
        UserAccounts accounts = service.accounts().current();
        if (!accounts.isLoaded()) {
            reloadThen(true);
            return;
        }
        String user = response.user();
        String host = clientHost();
        UserAccount account = accounts.find(user, host, service.settings().skipNameResolve());
        Authenticator method = account == null ? null : authenticatorFor(account);
        if (method != null && method != authenticator && !switchedForAccount) {
            // the account needs another of the listener's methods: ask the client to use that one
            switchedForAccount = true;
            switchTo(method);
            return;
        }
        Credential credential = null;
        if (method != null && !(user.equals("root") && !service.settings().enableRootUser())) {
            credential = method.verify(scramble, token, account.asAccount());
        }
        if (credential == null) {
            if (!retriedAfterReload) {
                reloadThen(false);
                return;
            }
            if (service.settings().logAuthWarnings()) {
                log.warn("Session {}: authentication failed for '{}'@'{}' on service '{}'", sessionId,
                        printable(user), host, service.name());
            }
            sendAndClose(ProxyError.ACCESS_DENIED.packet(user, host, token.length > 0 ? "YES" : "NO"),
                    lastSequence + 1);
            return;
        }
        if (account.requiresTls() && !tls) {
            sendAndClose(ProxyError.SSL_REQUIRED.packet(user), lastSequence + 1);
            return;
        }
        String db = response.database();
        if (db != null) {
            boolean granted = accounts.mayUseDatabase(account, db);
            boolean exists = accounts.databaseExists(db);
            if ((!granted || !exists) && !retriedAfterReload) {
                reloadThen(false); // created a moment ago?
                return;
            }
            // the server's order: without a privilege on it the client learns nothing about its existence
            if (!granted) {
                sendAndClose(ProxyError.DB_ACCESS_DENIED.packet(user, account.host(), db), lastSequence + 1);
                return;
            }
            if (!exists) {
                sendAndClose(ProxyError.UNKNOWN_DATABASE.packet(db), lastSequence + 1);
                return;
            }
        }
        startSession(new LoginRequest(user, method, credential, db, response.collation(), response.capabilities(),
                response.connectAttributes()));
    }

    /** The first of the listener's authenticators that checks accounts of this account's plugin, or null. */
    private Authenticator authenticatorFor(UserAccount account) {
        for (Authenticator a : listener.authenticators()) {
            if (a.handles(account.plugin())) {
                return a;
            }
        }
        return null;
    }

    /** Reloads the accounts (rate-limited) and authenticates again on this event loop. */
    private void reloadThen(boolean initial) {
        if (!initial) {
            retriedAfterReload = true;
        }
        listener.service().accounts().refresh(false).whenComplete((a, e) -> channel.eventLoop().execute(() -> {
            if (state != State.AUTHENTICATING) {
                return;
            }
            if (initial && !listener.service().accounts().current().isLoaded()) {
                sendAndClose(ProxyError.NO_BACKEND.packet(listener.service().name(),
                        "user accounts could not be loaded"), lastSequence + 1);
                return;
            }
            authenticate();
        }));
    }

    private void startSession(LoginRequest login) {
        state = State.STARTING;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        Worker worker = listener.workers().of(channel.eventLoop());
        session = new ClientSession(this, channel, worker, listener, sessionId, login, clientHost(), scramble,
                lastSequence, tls);
        retainedService = false; // the session owns the service reference from now on
        session.start();
    }

    /** The session's router is ready: tell the client it is logged in. */
    void sessionReady(int sequence) {
        state = State.ROUTING;
        channel.writeAndFlush(new dev.sluice.protocol.message.server.OkPacket(0, 0, ServerStatusFlag.AUTOCOMMIT, 0)
                .encode(channel.alloc(), sequence));
    }

    void sessionClosed() {
        state = State.CLOSED;
    }

    String clientHost() {
        SocketAddress a = channel.remoteAddress();
        if (channel instanceof DomainSocketChannel || !(a instanceof InetSocketAddress)) {
            return "localhost";
        }
        InetSocketAddress ia = (InetSocketAddress) a;
        return ia.getAddress() == null ? ia.getHostString() : ia.getAddress().getHostAddress();
    }

    /** A client-supplied name made safe for the log: control characters escaped, length bounded. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\ufffd') {
                out.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                out.append(c);
            }
        }
        return s.length() > 64 ? out + "…" : out.toString();
    }

    private void sendAndClose(ErrPacket err, int sequence) {
        state = State.CLOSED;
        if (channel.isActive()) {
            channel.writeAndFlush(err.encode(channel.alloc(), sequence & 0xff)).addListener(ChannelFutureListener.CLOSE);
        }
        releaseService();
    }

    private void releaseService() {
        if (retainedService) {
            retainedService = false;
            listener.service().release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (session != null) {
            session.clientReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null) {
            session.clientWritabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && session != null) {
            session.idleTimeout();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (session != null) {
            session.closeSession("client disconnected");
        }
        state = State.CLOSED;
        releaseService();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Session {}: client error: {}", sessionId, BackendConnection.describe(cause));
        if (session != null) {
            session.closeSession("client error: " + BackendConnection.describe(cause));
        }
        ctx.close();
    }
}
