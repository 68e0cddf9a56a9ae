package dev.sluice.testkit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for systemd's notification socket: a Unix datagram socket bound at a path (what {@code $NOTIFY_SOCKET}
 * names), collecting each datagram's text. Needs Netty's epoll transport (Linux).
 */
public final class NotifySocketReceiver implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    private final Path path;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    public NotifySocketReceiver(Path path) {
        this.path = path;
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        this.channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket msg) {
                        received.add(msg.content().toString(StandardCharsets.UTF_8));
                    }
                }).bind(new DomainSocketAddress(path.toString())).syncUninterruptibly().channel();
    }

    public Path path() {
        return path;
    }

    /** The next datagram that contains {@code text}, skipping others; null after {@code timeout}. */
    public String await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String msg = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            if (msg == null || msg.contains(text)) {
                return msg;
            }
        }
    }

    /** Forgets what was received so far. */
    public void clear() {
        received.clear();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        path.toFile().delete();
    }
}
