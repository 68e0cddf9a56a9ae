package dev.sluice.server.core;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A configured backend server at runtime. Identity and settings are final; the status is an immutable
 * {@link ServerStatus} in a volatile field written by the owning monitor's thread (monitor bits) and by the
 * main worker (operator bits, kept in {@link #manualBits}); readers see one consistent value.
 */
public final class ServerRuntime extends RefCounted implements Server {
    /** Capabilities assumed before any backend greeting was seen: a MariaDB 10.2+ server's. */
    public static final long UNKNOWN_CAPABILITIES = -1L;

    private final String name;
    private final String address;
    private final int port;
    private final String socket;
    private volatile SslContext sslContext; // replaced by reload tls; each new connection reads it once
    /** The runtime-modifiable settings, replaced as a whole by the thread applying configuration changes. */
    private volatile Tunables tunables;
    private final java.util.function.Consumer<ServerRuntime> onRelease;

    private volatile ServerStatus monitorStatus = ServerStatus.UNMONITORED;
    private final AtomicLong manualBits = new AtomicLong();
    private volatile long capabilities = UNKNOWN_CAPABILITIES;
    private volatile String version = "";

    /** Connections currently open to this server by routing (pooled ones included). */
    public final AtomicInteger connections = new AtomicInteger();
    public final LongAdder totalConnections = new LongAdder();
    public final LongAdder routedPackets = new LongAdder();
    public final LongAdder pooledReuses = new LongAdder();
    /** Operations in flight, response times and pool figures, kept per worker where the reply path writes them. */
    public final ServerStatistics statistics = new ServerStatistics();

    /** The parameters an operator may change while the server is in use (the modifiable ones of its spec). */
    public record Tunables(int rank, ParamValues params, int persistPoolMax, Duration persistMaxTime) {
    }

    public ServerRuntime(String name, String address, int port, String socket, int rank, ParamValues params,
                         int persistPoolMax, Duration persistMaxTime, SslContext sslContext) {
        this(name, address, port, socket, new Tunables(rank, params, persistPoolMax, persistMaxTime), sslContext,
                s -> { });
    }

    /** @param onRelease run once, by whoever drops the last reference */
    public ServerRuntime(String name, String address, int port, String socket, Tunables tunables,
                         SslContext sslContext, java.util.function.Consumer<ServerRuntime> onRelease) {
        this.name = name;
        this.address = address;
        this.port = port;
        this.socket = socket;
        this.tunables = tunables;
        this.sslContext = sslContext;
        this.onRelease = onRelease;
    }

    /** Set once when the server is destroyed: its connections are closed instead of pooled from then on. */
    private volatile boolean destroyed;

    /**
     * Marks the server destroyed, before the registry drops its reference. Backend connections hold references
     * too, so pools must stop keeping connections to it (or it would never be released).
     */
    public void markDestroyed() {
        destroyed = true;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Publishes new modifiable settings; sessions and pools read them on their next decision. */
    public void retune(Tunables next) {
        tunables = next;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String socket() {
        return socket;
    }

    @Override
    public ParamValues params() {
        return tunables.params();
    }

    @Override
    public int rank() {
        return tunables.rank();
    }

    @Override
    public ServerStatus status() {
        ServerStatus s = monitorStatus;
        long manual = manualBits.get();
        return manual == 0 ? s : s.withBits(s.bits() | manual);
    }

    /** Called by the monitor thread; operator bits in the argument are ignored. */
    public void publishMonitorStatus(ServerStatus status) {
        monitorStatus = status.withBits(status.bits() & ~StatusBit.MANUAL_BITS);
        if (!status.version().isEmpty()) {
            version = status.version();
        }
    }

    /**
     * An operator's {@code set|clear server … master|slave|running|synced} on a server no monitor watches: changes
     * the state the routers see until a monitor publishes one.
     */
    public void setUnmonitoredBit(StatusBit bit, boolean on) {
        ServerStatus s = monitorStatus;
        monitorStatus = s.withBits(on ? s.bits() | bit.mask() : s.bits() & ~bit.mask());
    }

    public void setManualBit(StatusBit bit, boolean on) {
        manualBits.getAndUpdate(b -> on ? b | bit.mask() : b & ~bit.mask());
    }

    public int persistPoolMax() {
        return tunables.persistPoolMax();
    }

    public Duration persistMaxTime() {
        return tunables.persistMaxTime();
    }

    /** {@code reload tls}: new connections to the server use {@code next}; open ones keep theirs. */
    public void reloadTls(SslContext next) {
        sslContext = next;
    }

    /** TLS towards this server, or null when {@code ssl=false}. */
    public SslContext sslContext() {
        return sslContext;
    }

    public long capabilities() {
        return capabilities;
    }

    /** Remembers the capabilities and version of a greeting (any worker may call it; last write wins). */
    public void observeGreeting(long caps, String serverVersion) {
        capabilities = caps;
        version = serverVersion;
    }

    /** The server's version as last seen by a monitor or a backend greeting, or empty. */
    public String version() {
        return version;
    }

    @Override
    protected void deallocate() {
        onRelease.accept(this);
    }

    @Override
    public String toString() {
        return name;
    }
}
