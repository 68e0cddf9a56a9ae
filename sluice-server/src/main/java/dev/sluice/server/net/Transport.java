package dev.sluice.server.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;

/**
 * The I/O transport: Linux epoll when the native library loads (needed for Unix sockets), NIO otherwise.
 * Chosen once at startup; immutable.
 */
public final class Transport {
    private final boolean epoll;

    private Transport(boolean epoll) {
        this.epoll = epoll;
    }

    public static Transport detect() {
        return new Transport(Epoll.isAvailable() && !Boolean.getBoolean("sluice.nio"));
    }

    public boolean isEpoll() {
        return epoll;
    }

    public String name() {
        return epoll ? "epoll" : "nio";
    }

    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        DefaultThreadFactory tf = new DefaultThreadFactory(threadPrefix, false);
        return new MultiThreadIoEventLoopGroup(threads, tf,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    public Class<? extends Channel> socketChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends ServerChannel> serverSocketChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends Channel> domainSocketChannel() {
        requireEpoll();
        return EpollDomainSocketChannel.class;
    }

    public Class<? extends ServerChannel> serverDomainSocketChannel() {
        requireEpoll();
        return EpollServerDomainSocketChannel.class;
    }

    public SocketAddress domainSocketAddress(String path) {
        requireEpoll();
        return new DomainSocketAddress(path);
    }

    private void requireEpoll() {
        if (!epoll) {
            throw new IllegalStateException("Unix sockets need the epoll transport, which is not available here");
        }
    }
}
