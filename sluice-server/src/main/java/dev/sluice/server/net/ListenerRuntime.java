package dev.sluice.server.net;

import dev.sluice.protocol.PacketDecoder;
import dev.sluice.server.core.RefCounted;
import dev.sluice.server.session.ClientConnection;
import dev.sluice.server.session.ListenerContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A bound listener: a TCP port or a Unix socket whose accepted connections get a {@link ClientConnection}
 * on one of the routing workers. Started, stopped and destroyed by the thread applying configuration changes
 * (or the main thread at start and stop). Reference counted like every runtime object: the registry holds the
 * only reference; its release closes the socket and runs the release hook, exactly once.
 */
public final class ListenerRuntime extends RefCounted {
    private final String name;
    private final ListenerContext context;
    private final String address;
    private final int port;
    private final String socket;
    /** Written by the thread that starts and stops the listener; read by the REST API and tests. */
    private volatile Channel serverChannel;
    private final java.util.function.Consumer<ListenerRuntime> onRelease;

    public ListenerRuntime(String name, ListenerContext context, String address, int port, String socket) {
        this(name, context, address, port, socket, l -> { });
    }

    /** @param onRelease run once, after the socket is closed, by whoever drops the last reference */
    public ListenerRuntime(String name, ListenerContext context, String address, int port, String socket,
                           java.util.function.Consumer<ListenerRuntime> onRelease) {
        this.onRelease = onRelease;
        this.name = name;
        this.context = context;
        this.address = address;
        this.port = port;
        this.socket = socket;
    }

    public void start() throws IOException {
        Transport transport = context.workers().transport();
        Duration waitTimeout = context.service().settings().waitTimeout();
        ServerBootstrap b = new ServerBootstrap()
                .group(context.workers().group())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!waitTimeout.isZero()) {
                            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, waitTimeout.toMillis(),
                                    TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast("framer", new PacketDecoder())
                                .addLast("client", new ClientConnection(context));
                    }
                });
        SocketAddress bindTo;
        if (!socket.isEmpty()) {
            Files.deleteIfExists(Path.of(socket));
            b.channel(transport.serverDomainSocketChannel());
            bindTo = transport.domainSocketAddress(socket);
        } else {
            b.channel(transport.serverSocketChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true);
            bindTo = address.isEmpty() || address.equals("::") || address.equals("0.0.0.0")
                    ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
        }
        b.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, context.workers().waterMark());
        try {
            serverChannel = b.bind(bindTo).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new IOException("listener " + name + ": cannot listen on " + describe() + ": " + e.getMessage(), e);
        }
    }

    public String describe() {
        return socket.isEmpty() ? (address.isEmpty() ? "::" : address) + ":" + port : socket;
    }

    /** The port actually bound (useful with port=0 in tests). */
    public int boundPort() {
        Channel ch = serverChannel;
        return ch != null && ch.localAddress() instanceof InetSocketAddress a ? a.getPort() : port;
    }

    /** True while the socket is bound (started and neither stopped nor destroyed). */
    public boolean isListening() {
        return serverChannel != null;
    }

    public String name() {
        return name;
    }

    public ListenerContext context() {
        return context;
    }

    /** Stops accepting at once; sessions already accepted carry on. {@link #start()} may bind again. */
    public void close() {
        Channel ch = serverChannel;
        if (ch != null) {
            serverChannel = null;
            ch.close().syncUninterruptibly();
        }
    }

    @Override
    protected void deallocate() {
        close();
        onRelease.accept(this);
    }
}
