package dev.sluice.server;

import dev.sluice.server.session.Worker;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's notification protocol ({@code sd_notify}) for a {@code Type=notify} unit: datagrams to the Unix socket
 * named by {@code $NOTIFY_SOCKET} ({@code READY=1} once Sluice serves, {@code STOPPING=1} when it stops,
 * {@code STATUS=…}), and with {@code $WATCHDOG_USEC} set, {@code WATCHDOG=1} every half period, sent only after
 * every routing worker has run a task since the last one: a worker stuck in a loop stops the pings and systemd
 * restarts the service, as MaxScale's watchdog does. JDK 17 has Unix domain stream sockets only, so the datagrams
 * go through Netty's epoll transport (already on the class path for the listeners); without epoll, or without
 * {@code $NOTIFY_SOCKET}, this does nothing. An abstract socket name ({@code @name}) is supported.
 */
public final class SystemdNotify implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotify.class);

    private final EventLoopGroup group;
    private final Channel channel;
    private final DomainSocketAddress target;

    private SystemdNotify(EventLoopGroup group, Channel channel, DomainSocketAddress target) {
        this.group = group;
        this.channel = channel;
        this.target = target;
    }

    /** A notifier for {@code notifySocket} ({@code $NOTIFY_SOCKET}), or null when there is none or no epoll. */
    public static SystemdNotify open(String notifySocket) {
        if (notifySocket == null || notifySocket.isEmpty()) {
            return null;
        }
        if (!Epoll.isAvailable()) {
            log.warn("NOTIFY_SOCKET is set but the epoll transport is not available: systemd will not be notified");
            return null;
        }
        String path = notifySocket.startsWith("@") ? "\0" + notifySocket.substring(1) : notifySocket;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "sluice-systemd-notify");
            t.setDaemon(true);
            return t;
        }, EpollIoHandler.newFactory());
        try {
            Channel ch = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .option(io.netty.channel.ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true) // unbound
                    .handler(new ChannelInboundHandlerAdapter()).register().syncUninterruptibly().channel();
            return new SystemdNotify(group, ch, new DomainSocketAddress(path));
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            log.warn("Cannot open a datagram socket for NOTIFY_SOCKET {}: {}", notifySocket, e.toString());
            return null;
        }
    }

    /** Sends one notification ({@code KEY=VALUE} lines); failures are logged, never thrown. */
    public void send(String state) {
        channel.writeAndFlush(new DomainDatagramPacket(Unpooled.copiedBuffer(state, StandardCharsets.UTF_8), target))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        log.warn("systemd notification '{}' to {} failed: {}", state.replace('\n', ' '),
                                target.path().replace('\0', '@'), f.cause().toString());
                    }
                });
    }

    /**
     * Starts the watchdog pings for a {@code $WATCHDOG_USEC} period: every half period, each worker is asked to run
     * a no-op; {@code WATCHDOG=1} goes out when all of the previous round's have run.
     */
    public void startWatchdog(Duration period, List<Worker> workers) {
        long halfMillis = Math.max(1, period.toMillis() / 2);
        AtomicInteger pending = new AtomicInteger(0);
        channel.eventLoop().scheduleAtFixedRate(() -> {
            if (pending.get() == 0) {
                send("WATCHDOG=1");
                pending.set(workers.size());
                for (Worker w : workers) {
                    try {
                        w.eventLoop().execute(pending::decrementAndGet);
                    } catch (RuntimeException stopping) {
                        return; // shutting down: no more pings
                    }
                }
            } else {
                log.warn("watchdog: {} routing worker(s) did not run a task within {} ms; not notifying systemd",
                        pending.get(), halfMillis);
            }
        }, 0, halfMillis, TimeUnit.MILLISECONDS);
    }

    /** The watchdog period from {@code $WATCHDOG_USEC} (honouring {@code $WATCHDOG_PID}), or null. */
    public static Duration watchdogPeriod(String usec, String pid) {
        if (usec == null || usec.isEmpty()) {
            return null;
        }
        if (pid != null && !pid.isEmpty() && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            return null; // meant for another process
        }
        try {
            long micros = Long.parseLong(usec.strip());
            return micros > 0 ? Duration.ofNanos(micros * 1000) : null;
        } catch (NumberFormatException e) {
            log.warn("WATCHDOG_USEC is not a number: '{}'; no watchdog pings", usec);
            return null;
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
