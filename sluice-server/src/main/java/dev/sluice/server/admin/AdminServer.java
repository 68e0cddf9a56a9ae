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
    private static final String GUI_NEEDS_TLS = "<!doctype html><title>Sluice GUI</title><h1>The GUI needs HTTPS</h1>"
            + "<p>admin_secure_gui=true (the default) serves the GUI only over HTTPS. Set admin_ssl_cert and "
            + "admin_ssl_key in the [maxscale] section, or admin_secure_gui=false to serve it over plain HTTP "
            + "(on a trusted network only).</p>";

    private final EventLoopGroup group;
    private final Channel channel;
    private final ExecutorService commands;
    private final LogRing logs;
    private final ChannelGroup connections;
    private AdminAudit audit;
    private AdminDispatcher dispatcher;
    private ConfigSync sync;
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
    private record Setup(AdminDispatcher dispatcher, AdminAuthenticator authenticator,
                         java.util.concurrent.atomic.AtomicReference<SslContext> ssl,
                         String scheme, AdminAudit audit, AdminHosts hosts, GuiMode gui, GuiFiles files) {
    }

    /** How {@code admin_gui} and {@code admin_secure_gui} leave the GUI. */
    private enum GuiMode {
        OFF, REFUSED_WITHOUT_TLS, ON
    }

    /** This machine's name, for config_sync's node names (as MaxScale's hostname), or "localhost". */
    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** The admin API's TLS from admin_ssl_*, or null for plain HTTP. */
    private static SslContext adminTls(ParamValues g) throws IOException {
        String cert = g.get(GlobalParams.ADMIN_SSL_CERT);
        String key = g.get(GlobalParams.ADMIN_SSL_KEY);
        if (cert.isEmpty() && key.isEmpty()) {
            return null;
        }
        if (cert.isEmpty() || key.isEmpty()) {
            throw new IOException("admin REST API: admin_ssl_cert and admin_ssl_key must be set together");
        }
        return TlsContexts.forAdmin(cert, key, g.get(GlobalParams.ADMIN_SSL_CA), g.get(GlobalParams.ADMIN_SSL_VERSION));
    }

    /** Starts the API for {@code sluice} as its global parameters say (admin_host, admin_port, admin_auth, admin_ssl_*). */
    public static AdminServer start(SluiceServer sluice) throws IOException {
        ParamValues g = sluice.config().global().values();
        java.util.concurrent.atomic.AtomicReference<SslContext> ssl = new java.util.concurrent.atomic.AtomicReference<>(
                adminTls(g));
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
        ConfigSync sync = new ConfigSync(sluice, globals::values, ModuleRegistry::load,
                hostName() + ":" + g.get(GlobalParams.ADMIN_PORT));
        io.micrometer.registry.otlp.OtlpMeterRegistry telemetry = Telemetry.registry(g);
        PrometheusMetrics metrics = new PrometheusMetrics(sluice, telemetry);
        AdminDispatcher dispatcher = new AdminDispatcher(new AdminApi(sluice, ModuleRegistry::load, sync),
                new UsersResource(users, tokens), new MaxScaleResource(sluice, globals, logs),
                metrics, commands,
                new SessionsResource(sluice, java.time.Duration.ofSeconds(5)), new SqlResource(sluice),
                new QueryClassifierResource(sluice, globals), sync, () -> {
                    // reload tls: the admin API's own certificate (when it has TLS), then the listeners'
                    SslContext admin = ssl.get() == null ? null : adminTls(g);
                    sluice.reloadListenerTls();
                    if (admin != null) {
                        ssl.set(admin);
                    }
                });
        AdminAuthenticator authenticator = g.get(GlobalParams.ADMIN_AUTH) ? new AdminAuthenticator(users, tokens,
                () -> globals.values().get(GlobalParams.ADMIN_LOG_AUTH_FAILURES)) : null;
        AdminAudit audit = new AdminAudit(globals::values);
        GuiMode gui = !g.get(GlobalParams.ADMIN_GUI) ? GuiMode.OFF
                : ssl.get() == null && g.get(GlobalParams.ADMIN_SECURE_GUI) ? GuiMode.REFUSED_WITHOUT_TLS : GuiMode.ON;
        Setup setup = new Setup(dispatcher, authenticator, ssl, ssl.get() == null ? "http" : "https", audit,
                new AdminHosts(g.get(GlobalParams.ADMIN_READWRITE_HOSTS), g.get(GlobalParams.ADMIN_READONLY_HOSTS)),
                gui, new GuiFiles());
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
                        SslContext tls = setup.ssl().get();
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                new Handler(setup));
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            AdminServer server = new AdminServer(group, ch, commands, logs, connections);
            server.audit = audit;
            server.dispatcher = dispatcher;
            server.sync = sync;
            sync.start();
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
            switch (gui) {
                case ON -> log.info("Admin GUI on {}://{}:{}/", setup.scheme(), host, server.boundPort());
                case REFUSED_WITHOUT_TLS -> log.warn("Admin GUI not served: admin_secure_gui=true needs HTTPS "
                        + "(set admin_ssl_cert and admin_ssl_key, or admin_secure_gui=false)");
                default -> { }
            }
            return server;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            commands.shutdownNow();
            dispatcher.close();
            sync.close();
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
        dispatcher.close();
        if (audit != null) {
            audit.close();
        }
        if (sync != null) {
            sync.close();
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
            String method = req.method().name();
            if (setup.gui() != GuiMode.OFF && (method.equals("GET") || method.equals("HEAD"))) {
                String path = new QueryStringDecoder(req.uri()).path();
                if (GuiFiles.isGuiPath(path)) {
                    gui(ctx, req, path, keepAlive);
                    return;
                }
            }
            AdminAuthenticator.Result auth = setup.authenticator() == null
                    ? new AdminAuthenticator.Result(NO_AUTH, true)
                    : setup.authenticator().authenticate(req.headers(), ctx.channel().remoteAddress());
            String body = req.content().toString(StandardCharsets.UTF_8);
            String auditFile = setup.audit().fileFor(method);
            java.util.function.Consumer<AdminResponse> audited = resp -> setup.audit().record(auditFile,
                    auth.principal() == null ? "" : auth.principal().name(), remoteHost(ctx), method, req.uri(),
                    resp.status(), (System.nanoTime() - started) / 1_000_000, body);
            if (auth.principal() == null) {
                AdminResponse refused = AdminResponse.error(401, "Access denied: valid credentials are required "
                        + "(HTTP Basic, or a token from /v1/auth as Bearer or cookie)");
                audited.accept(refused);
                // the GUI asks with X-Requested-With: no browser login box over its own login form
                write(ctx, refused, keepAlive, !req.headers().contains("X-Requested-With"));
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
            if (!principal.mayWrite() && !method.equals("GET") && !method.equals("HEAD")
                    && !SqlResource.isSqlPath(req.uri())) {
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
                    body, principal, req.headers().get(HttpHeaderNames.COOKIE));
            ctx.channel().config().setAutoRead(false);
            String ifMatch = req.headers().get(HttpHeaderNames.IF_MATCH);
            String ifNoneMatch = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
            Preconditions.dispatch(setup.dispatcher(), request, auth.byPassword(), ifMatch, ifNoneMatch)
                    .whenComplete((resp, err) -> {
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

        private void gui(ChannelHandlerContext ctx, FullHttpRequest req, String path, boolean keepAlive) {
            FullHttpResponse out;
            if (setup.gui() == GuiMode.REFUSED_WITHOUT_TLS) {
                out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN,
                        Unpooled.copiedBuffer(GUI_NEEDS_TLS, StandardCharsets.UTF_8));
                out.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
            } else {
                GuiFiles.File f = setup.files().find(path);
                if (f == null) {
                    out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                            Unpooled.copiedBuffer("Not found: " + path, StandardCharsets.UTF_8));
                    out.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                } else if (f.etag().equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
                    out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                            Unpooled.EMPTY_BUFFER);
                } else {
                    String accept = req.headers().get(HttpHeaderNames.ACCEPT_ENCODING, "");
                    boolean gzip = accept.contains("gzip");
                    out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            Unpooled.wrappedBuffer(gzip ? f.gzipped() : f.bytes()));
                    out.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType());
                    if (gzip) {
                        out.headers().set(HttpHeaderNames.CONTENT_ENCODING, "gzip");
                    }
                }
                if (f != null) {
                    out.headers().set(HttpHeaderNames.ETAG, f.etag())
                            .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                            .set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING)
                            .set("X-Content-Type-Options", "nosniff")
                            .set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                    + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
                }
            }
            HttpUtil.setContentLength(out, out.content().readableBytes());
            if (req.method().name().equals("HEAD")) {
                out = out.replace(Unpooled.EMPTY_BUFFER);
            }
            HttpUtil.setKeepAlive(out, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(out);
            } else {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private static void finish(ChannelHandlerContext ctx, AdminResponse resp, boolean keepAlive) {
            write(ctx, resp, keepAlive);
            ctx.channel().config().setAutoRead(true);
        }

        private static void write(ChannelHandlerContext ctx, AdminResponse resp, boolean keepAlive) {
            write(ctx, resp, keepAlive, true);
        }

        private static void write(ChannelHandlerContext ctx, AdminResponse resp, boolean keepAlive,
                                  boolean challenge) {
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(resp.status()),
                    Unpooled.copiedBuffer(resp.body(), StandardCharsets.UTF_8));
            if (resp.contentType() != null) {
                out.headers().set(HttpHeaderNames.CONTENT_TYPE, resp.contentType());
            }
            if (resp.status() == 401 && challenge) {
                out.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"sluice\"");
            }
            if (resp.etag() != null) {
                out.headers().set(HttpHeaderNames.ETAG, resp.etag());
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
