package dev.sluice.server.admin;

import dev.sluice.api.config.ParamValues;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.GlobalParams;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.net.TlsContexts;
import dev.sluice.server.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API's HTTP server: Netty on its own one-thread event loop (never a routing worker), HTTP/1.1
 * with keep-alive, HTTPS when {@code admin_ssl_cert} and {@code admin_ssl_key} are set. Authenticates every
 * request ({@link AdminAuthenticator}) unless {@code admin_auth=false}, refuses changes by {@code basic}
 * accounts with 403, and hands the request to the {@link AdminDispatcher}. While an answer is pending (a
 * module command, a worker read) the connection stops reading from its socket, so a client that waits for
 * each answer (every HTTP/1.1 client but a pipelining one) gets them in order.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_BODY = 1 << 20;
    private static final AdminUsers.Principal NO_AUTH = new AdminUsers.Principal("", AdminUsers.ADMIN);

    private final EventLoopGroup group;
    private final Channel channel;
    private final ExecutorService commands;
    private final LogRing logs;
    private final ChannelGroup connections;
    private AdminAudit audit;
    private io.micrometer.registry.otlp.OtlpMeterRegistry telemetry;

    private AdminServer(EventLoopGroup group, Channel channel, ExecutorService commands, LogRing logs,
                        ChannelGroup connections) {
        this.connections = connections;
        this.group = group;
        this.channel = channel;
        this.commands = commands;
        this.logs = logs;
    }

    /** What the HTTP handler needs, built once per server. */
    private record Setup(AdminDispatcher dispatcher, AdminAuthenticator authenticator, SslContext ssl,
                         String scheme, AdminAudit audit, AdminHosts hosts) {
    }

    /** Starts the API for {@code sluice} as its global parameters say (admin_host, admin_port, admin_auth, admin_ssl_*). */
    public static AdminServer start(SluiceServer sluice) throws IOException {
        ParamValues g = sluice.config().global().values();
        SslContext ssl = null;
        String cert = g.get(GlobalParams.ADMIN_SSL_CERT);
        String key = g.get(GlobalParams.ADMIN_SSL_KEY);
        if (!cert.isEmpty() || !key.isEmpty()) {
            if (cert.isEmpty() || key.isEmpty()) {
                throw new IOException("admin REST API: admin_ssl_cert and admin_ssl_key must be set together");
            }
            ssl = TlsContexts.forAdmin(cert, key, g.get(GlobalParams.ADMIN_SSL_CA),
                    g.get(GlobalParams.ADMIN_SSL_VERSION));
        }
        AdminUsers users = AdminUsers.load(Path.of(g.get(GlobalParams.DATADIR)));
        AdminTokens tokens = new AdminTokens(g.get(GlobalParams.ADMIN_JWT_ISSUER),
                g.get(GlobalParams.ADMIN_JWT_MAX_AGE));
        RuntimeGlobals globals = new RuntimeGlobals(g, sluice.workers());
        globals.onPassiveChange(sluice::passive);
        LogRing logs = LogRing.attach();
        ExecutorService commands = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sluice-admin-commands");
            t.setDaemon(true);
            return t;
        });
        io.micrometer.registry.otlp.OtlpMeterRegistry telemetry = Telemetry.registry(g);
        PrometheusMetrics metrics = new PrometheusMetrics(sluice, telemetry);
        AdminDispatcher dispatcher = new AdminDispatcher(new AdminApi(sluice, ModuleRegistry::load),
                new UsersResource(users, tokens), new MaxScaleResource(sluice, globals, logs),
                metrics, commands,
                new SessionsResource(sluice, java.time.Duration.ofSeconds(5)));
        AdminAuthenticator authenticator = g.get(GlobalParams.ADMIN_AUTH) ? new AdminAuthenticator(users, tokens,
                () -> globals.values().get(GlobalParams.ADMIN_LOG_AUTH_FAILURES)) : null;
        AdminAudit audit = new AdminAudit(globals::values);
        Setup setup = new Setup(dispatcher, authenticator, ssl, ssl == null ? "http" : "https", audit,
                new AdminHosts(g.get(GlobalParams.ADMIN_READWRITE_HOSTS), g.get(GlobalParams.ADMIN_READONLY_HOSTS)));
        String host = g.get(GlobalParams.ADMIN_HOST);
        int port = g.get(GlobalParams.ADMIN_PORT).intValue();
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newGroup(1, "sluice-admin");
        // Open client connections, closed explicitly on close(): shutting the event loop down alone left their
        // sockets open, so a keep-alive client kept writing requests that nobody would ever read.
        ChannelGroup connections = new DefaultChannelGroup("sluice-admin-connections", group.next());
        ServerBootstrap b = new ServerBootstrap().group(group).channel(transport.serverSocketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        if (setup.ssl() != null) {
                            ch.pipeline().addLast(setup.ssl().newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                new Handler(setup));
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            AdminServer server = new AdminServer(group, ch, commands, logs, connections);
            server.audit = audit;
            if (telemetry != null) {
                // new servers and services get their meters before each export
                long stepMs = g.get(GlobalParams.TELEMETRY_INTERVAL).toMillis();
                group.next().scheduleAtFixedRate(metrics::sync, 0, Math.max(500, stepMs / 2), TimeUnit.MILLISECONDS);
                server.telemetry = telemetry;
                log.info("Exporting metrics over OTLP to {} every {}", g.get(GlobalParams.TELEMETRY_URL),
                        g.get(GlobalParams.TELEMETRY_INTERVAL));
            }
            log.info("Admin REST API on {}://{}:{}/v1/{}", setup.scheme(), host, server.boundPort(),
                    authenticator == null ? " (admin_auth=false: no authentication)" : "");
            return server;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            commands.shutdownNow();
            audit.close();
            if (logs != null) {
                logs.detach();
            }
            throw new IOException("admin REST API: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int boundPort() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        commands.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (audit != null) {
            audit.close();
        }
        if (telemetry != null) {
            telemetry.close(); // a last export, then its thread stops
        }
        if (logs != null) {
            logs.detach();
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Setup setup;

        Handler(Setup setup) {
            this.setup = setup;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            long started = System.nanoTime();
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!req.decoderResult().isSuccess()) {
                write(ctx, AdminResponse.error(400, "Malformed HTTP request"), false);
                return;
            }
            AdminAuthenticator.Result auth = setup.authenticator() == null
                    ? new AdminAuthenticator.Result(NO_AUTH, true)
                    : setup.authenticator().authenticate(req.headers(), ctx.channel().remoteAddress());
            String method = req.method().name();
            String body = req.content().toString(StandardCharsets.UTF_8);
            String auditFile = setup.audit().fileFor(method);
            java.util.function.Consumer<AdminResponse> audited = resp -> setup.audit().record(auditFile,
                    auth.principal() == null ? "" : auth.principal().name(), remoteHost(ctx), method, req.uri(),
                    resp.status(), (System.nanoTime() - started) / 1_000_000, body);
            if (auth.principal() == null) {
                AdminResponse refused = AdminResponse.error(401, "Access denied: valid credentials are required "
                        + "(HTTP Basic, or a token from /v1/auth as Bearer or cookie)");
                audited.accept(refused);
                write(ctx, refused, keepAlive);
                return;
            }
            AdminUsers.Principal principal = setup.hosts().restrict(auth.principal(), ctx.channel().remoteAddress());
            if (principal == null) {
                AdminResponse refused = AdminResponse.error(403, "Access denied: '" + auth.principal().name()
                        + "' may not use the admin API from " + remoteHost(ctx) + " (admin_readwrite_hosts, "
                        + "admin_readonly_hosts)");
                audited.accept(refused);
                write(ctx, refused, keepAlive);
                return;
            }
            if (!principal.mayWrite() && !method.equals("GET") && !method.equals("HEAD")) {
                AdminResponse refused = AdminResponse.error(403, "Access denied: '" + principal.name() + "' "
                        + (auth.principal().mayWrite() ? "may only read from " + remoteHost(ctx)
                        + " (admin_readwrite_hosts)" : "is a basic account and may only read") + " (" + method
                        + " needs an admin account)");
                audited.accept(refused);
                write(ctx, refused, keepAlive);
                return;
            }
            QueryStringDecoder qs = new QueryStringDecoder(req.uri());
            Map<String, String> query = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : qs.parameters().entrySet()) {
                query.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
            }
            String host = req.headers().get(HttpHeaderNames.HOST);
            if (host == null) {
                InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
                host = local.getHostString() + ":" + local.getPort();
            }
            AdminRequest request = new AdminRequest(method, qs.path(), query, setup.scheme() + "://" + host,
                    body, principal);
            ctx.channel().config().setAutoRead(false);
            setup.dispatcher().dispatch(request, auth.byPassword()).whenComplete((resp, err) -> {
                AdminResponse out = err != null ? AdminResponse.error(500, "Internal error: " + err) : resp;
                audited.accept(out);
                if (ctx.executor().inEventLoop()) {
                    finish(ctx, out, keepAlive);
                } else {
                    ctx.executor().execute(() -> finish(ctx, out, keepAlive));
                }
            });
        }

        private static String remoteHost(ChannelHandlerContext ctx) {
            return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getHostString()
                    : String.valueOf(ctx.channel().remoteAddress());
        }

        private static void finish(ChannelHandlerContext ctx, AdminResponse resp, boolean keepAlive) {
            write(ctx, resp, keepAlive);
            ctx.channel().config().setAutoRead(true);
        }

        private static void write(ChannelHandlerContext ctx, AdminResponse resp, boolean keepAlive) {
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(resp.status()),
                    Unpooled.copiedBuffer(resp.body(), StandardCharsets.UTF_8));
            if (resp.contentType() != null) {
                out.headers().set(HttpHeaderNames.CONTENT_TYPE, resp.contentType());
            }
            if (resp.status() == 401) {
                out.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"sluice\"");
            }
            for (String cookie : resp.cookies()) {
                out.headers().add(HttpHeaderNames.SET_COOKIE, cookie);
            }
            HttpUtil.setContentLength(out, out.content().readableBytes());
            HttpUtil.setKeepAlive(out, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(out);
            } else {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("Admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
