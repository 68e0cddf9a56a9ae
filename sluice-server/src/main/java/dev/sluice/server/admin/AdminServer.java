package dev.sluice.server.admin;

import dev.sluice.api.config.ParamValues;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.GlobalParams;
import dev.sluice.server.config.ModuleRegistry;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API's HTTP server: Netty on its own one-thread event loop (never a routing worker), HTTP/1.1
 * with keep-alive, HTTP Basic authentication against {@link AdminUsers} when {@code admin_auth=true}.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_BODY = 1 << 20;

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Starts the API for {@code sluice} as its global parameters say (admin_host, admin_port, admin_auth). */
    public static AdminServer start(SluiceServer sluice) throws IOException {
        ParamValues g = sluice.config().global().values();
        AdminUsers users = AdminUsers.load(Path.of(g.get(GlobalParams.DATADIR)));
        AdminApi api = new AdminApi(sluice, ModuleRegistry::load);
        return start(g.get(GlobalParams.ADMIN_HOST), g.get(GlobalParams.ADMIN_PORT).intValue(), api,
                g.get(GlobalParams.ADMIN_AUTH) ? users : null, g.get(GlobalParams.ADMIN_LOG_AUTH_FAILURES));
    }

    /** @param users the accounts to check, or null to allow every request (admin_auth=false) */
    static AdminServer start(String host, int port, AdminApi api, AdminUsers users, boolean logAuthFailures)
            throws IOException {
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newGroup(1, "sluice-admin");
        ServerBootstrap b = new ServerBootstrap().group(group).channel(transport.serverSocketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                new Handler(api, users, logAuthFailures));
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            AdminServer server = new AdminServer(group, ch);
            log.info("Admin REST API on http://{}:{}/v1/{}", host, server.boundPort(),
                    users == null ? " (admin_auth=false: no authentication)" : "");
            return server;
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("admin REST API: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int boundPort() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final AdminApi api;
        private final AdminUsers users;
        private final boolean logAuthFailures;

        Handler(AdminApi api, AdminUsers users, boolean logAuthFailures) {
            this.api = api;
            this.users = users;
            this.logAuthFailures = logAuthFailures;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            AdminApi.Response resp;
            if (!req.decoderResult().isSuccess()) {
                resp = AdminApi.error(400, "Malformed HTTP request");
            } else if (users != null && !authorized(ctx, req)) {
                resp = AdminApi.error(401, "Access denied: valid HTTP Basic credentials are required");
            } else {
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
                resp = api.handle(new AdminApi.Request(req.method().name(), qs.path(), query, "http://" + host,
                        req.content().toString(StandardCharsets.UTF_8)));
            }
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(resp.status()),
                    Unpooled.copiedBuffer(resp.body(), StandardCharsets.UTF_8));
            if (resp.contentType() != null) {
                out.headers().set(HttpHeaderNames.CONTENT_TYPE, resp.contentType());
            }
            if (resp.status() == 401) {
                out.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"sluice\"");
            }
            HttpUtil.setContentLength(out, out.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(out, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(out);
            } else {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private boolean authorized(ChannelHandlerContext ctx, FullHttpRequest req) {
            String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            String user = null;
            if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                            StandardCharsets.UTF_8);
                    int colon = pair.indexOf(':');
                    if (colon > 0) {
                        user = pair.substring(0, colon);
                        if (users.check(user, pair.substring(colon + 1))) {
                            return true;
                        }
                    }
                } catch (IllegalArgumentException e) {
                    // not base64: refused below
                }
            }
            if (logAuthFailures && header != null) {
                log.warn("Authentication failed for admin user '{}' from {}", user == null ? "" : user.replaceAll(
                        "\\p{Cntrl}", "?"), ctx.channel().remoteAddress());
            }
            return false;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("Admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
