package dev.sluice.server;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.monitor.MonitorFactory;
import dev.sluice.api.router.Router;
import dev.sluice.api.router.RouterContext;
import dev.sluice.api.router.RouterFactory;
import dev.sluice.server.admin.AdminServer;
import dev.sluice.server.auth.UserAccountLoader;
import dev.sluice.server.auth.UserAccountManager;
import dev.sluice.server.config.GlobalParams;
import dev.sluice.server.config.ListenerConfig;
import dev.sluice.server.config.ListenerParams;
import dev.sluice.server.config.MonitorConfig;
import dev.sluice.server.config.ServerConfig;
import dev.sluice.server.config.ServerParams;
import dev.sluice.server.config.ServiceConfig;
import dev.sluice.server.config.ServiceParams;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.core.MonitorRuntime;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.core.ServiceRuntime;
import dev.sluice.server.net.ListenerRuntime;
import dev.sluice.server.net.TlsContexts;
import dev.sluice.server.net.Transport;
import dev.sluice.server.session.ClientSession;
import dev.sluice.server.session.ListenerContext;
import dev.sluice.server.session.SessionRegistry;
import dev.sluice.server.session.Worker;
import dev.sluice.server.session.Workers;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Sluice: routing workers, servers, monitors, services and listeners built from a validated
 * {@link SluiceConfig}. Started and stopped by the main thread; {@link #stop(Duration)} stops accepting, lets
 * replies in flight finish, then closes every session and backend connection.
 */
public final class SluiceServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SluiceServer.class);

    private final Workers workers;
    private final ExecutorService blocking;
    private final SessionRegistry registry = new SessionRegistry();
    private final Map<String, ServerRuntime> servers = new LinkedHashMap<>();
    private final Map<String, MonitorRuntime> monitors = new LinkedHashMap<>();
    private final Map<String, ServiceRuntime> services = new LinkedHashMap<>();
    private final Map<String, ListenerRuntime> listeners = new LinkedHashMap<>();
    /** Counts services released (last reference dropped); the lifecycle tests read it. */
    public final AtomicInteger releasedServices = new AtomicInteger();
    private final long startedAtMillis = System.currentTimeMillis();
    private SluiceConfig config;
    private AdminServer admin;
    private boolean stopped;

    private SluiceServer(Workers workers, ExecutorService blocking) {
        this.workers = workers;
        this.blocking = blocking;
    }

    /** Builds and starts everything; on failure stops what was started and throws. */
    public static SluiceServer start(SluiceConfig config) throws IOException {
        ParamValues global = config.global().values();
        int threads = GlobalParams.threads(global);
        disableLeakSamplingUnlessAsked();
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newGroup(threads, "sluice-worker");
        AtomicLong blockingThreads = new AtomicLong();
        ExecutorService blocking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sluice-blocking-" + blockingThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        SluiceServer server = new SluiceServer(
                new Workers(group, transport, GlobalParams.queryClassifierCacheSize(global)), blocking);
        try {
            server.build(config);
        } catch (IOException | RuntimeException e) {
            server.stop(Duration.ZERO);
            throw e;
        }
        log.info("Sluice started: {} routing workers ({} transport), {} servers, {} services, {} listeners",
                threads, transport.name(), server.servers.size(), server.services.size(), server.listeners.size());
        return server;
    }

    /**
     * Netty's default leak detection (SIMPLE) samples buffers on the forwarding path and records stack traces
     * for them: about 10% more proxy CPU per query in sysbench (docs/performance.md). Production runs without
     * it unless a level is asked for with {@code -Dio.netty.leakDetection.level}; tests ask for paranoid, and
     * a level set in code (LeakCheck) is left alone.
     */
    private static void disableLeakSamplingUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null
                && ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.SIMPLE) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private void build(SluiceConfig config) throws IOException {
        this.config = config;
        ParamValues global = config.global().values();
        workers.setWaterMark(global.get(GlobalParams.WRITEQ_LOW_WATER), global.get(GlobalParams.WRITEQ_HIGH_WATER));
        for (ServerConfig sc : config.servers().values()) {
            ParamValues v = sc.values();
            SslContext ssl = v.get(ServerParams.SSL) ? TlsContexts.forBackend(sc.name(), v) : null;
            servers.put(sc.name(), new ServerRuntime(sc.name(), v.get(ServerParams.ADDRESS),
                    v.get(ServerParams.PORT).intValue(), v.get(ServerParams.SOCKET),
                    "secondary".equals(v.get(ServerParams.RANK)) ? 1 : 0, v,
                    (int) Math.min(Integer.MAX_VALUE, v.get(ServerParams.PERSISTPOOLMAX)),
                    v.get(ServerParams.PERSISTMAXTIME), ssl));
        }
        Path datadir = Path.of(global.get(GlobalParams.DATADIR));
        for (MonitorConfig mc : config.monitors().values()) {
            MonitorFactory factory = mc.module().factory(MonitorFactory.class);
            monitors.put(mc.name(), new MonitorRuntime(mc.name(), factory, mc.values(), lookup(mc.servers()),
                    datadir.resolve(mc.name())));
        }
        Duration refreshTime = global.get(GlobalParams.USERS_REFRESH_TIME);
        Duration authTimeout = global.get(GlobalParams.AUTH_CONNECT_TIMEOUT);
        for (ServiceConfig sc : config.services().values()) {
            ParamValues v = sc.values();
            List<ServerRuntime> targets = sc.cluster() != null
                    ? monitors.get(sc.cluster()).servers() : lookup(sc.servers());
            Router router = sc.router().factory(RouterFactory.class).create(new RouterContext() {
                @Override
                public String serviceName() {
                    return sc.name();
                }

                @Override
                public ParamValues params() {
                    return v;
                }
            });
            ServiceRuntime.Settings settings = new ServiceRuntime.Settings(v.get(ServiceParams.USER),
                    v.get(ServiceParams.PASSWORD), v.get(ServiceParams.VERSION_STRING),
                    v.get(ServiceParams.ENABLE_ROOT_USER), v.get(ServiceParams.WAIT_TIMEOUT),
                    (int) Math.min(Integer.MAX_VALUE, v.get(ServiceParams.MAX_CONNECTIONS)), authTimeout,
                    v.get(ServiceParams.LOG_AUTH_WARNINGS), v.get(ServiceParams.CONNECTION_KEEPALIVE),
                    global.get(GlobalParams.SKIP_NAME_RESOLVE));
            ServiceRuntime[] self = new ServiceRuntime[1];
            UserAccountManager accounts = new UserAccountManager(sc.name(),
                    new UserAccountLoader(settings.user(), settings.password(), authTimeout),
                    () -> self[0].serversAsApi(), blocking, refreshTime);
            ServiceRuntime service = new ServiceRuntime(sc.name(), router, v, settings, targets, accounts,
                    s -> {
                        releasedServices.incrementAndGet();
                        log.info("Service '{}' released", s.name());
                    });
            self[0] = service;
            services.put(sc.name(), service);
        }
        for (MonitorRuntime m : monitors.values()) {
            m.start();
        }
        for (ServiceRuntime s : services.values()) {
            s.accounts().refresh(true);
        }
        for (ListenerConfig lc : config.listeners().values()) {
            ParamValues v = lc.values();
            SslContext ssl = v.get(ListenerParams.SSL) ? TlsContexts.forListener(lc.name(), v) : null;
            ListenerContext ctx = new ListenerContext(lc.name(), services.get(lc.service()), ssl, registry, workers,
                    45);
            ListenerRuntime l = new ListenerRuntime(lc.name(), ctx, v.get(ListenerParams.ADDRESS),
                    v.get(ListenerParams.PORT).intValue(), v.get(ListenerParams.SOCKET));
            l.start();
            listeners.put(lc.name(), l);
            log.info("Listener '{}' for service '{}' on {}{}", lc.name(), lc.service(), l.describe(),
                    ssl != null ? " (TLS)" : "");
        }
        if (global.get(GlobalParams.ADMIN_ENABLED)) {
            admin = AdminServer.start(this);
        }
    }

    private List<ServerRuntime> lookup(List<String> names) {
        List<ServerRuntime> out = new ArrayList<>();
        for (String n : names) {
            ServerRuntime s = servers.get(n);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** Waits until every service has loaded its accounts and every monitor has ticked once (or the timeout). */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean ready = services.values().stream().allMatch(s -> s.accounts().current().isLoaded())
                    && monitors.values().stream().allMatch(m -> m.monitor().hasTicked());
            if (ready) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public ListenerRuntime listener(String name) {
        return listeners.get(name);
    }

    public ServiceRuntime service(String name) {
        return services.get(name);
    }

    public ServerRuntime server(String name) {
        return servers.get(name);
    }

    public Map<String, ServerRuntime> servers() {
        return servers;
    }

    public Map<String, MonitorRuntime> monitors() {
        return monitors;
    }

    public Map<String, ServiceRuntime> services() {
        return services;
    }

    public Map<String, ListenerRuntime> listeners() {
        return listeners;
    }

    /** The configuration this instance was built from. */
    public SluiceConfig config() {
        return config;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /** The port the admin REST API is bound to; -1 when it is not running ({@code admin_enabled=false}). */
    public int adminPort() {
        return admin == null ? -1 : admin.boundPort();
    }

    public SessionRegistry sessions() {
        return registry;
    }

    public Workers workers() {
        return workers;
    }

    /**
     * Graceful stop: listeners close at once; idle sessions close; sessions with a reply in flight close
     * when it ends, or when {@code grace} runs out; then pools, monitors and threads stop. Idempotent.
     */
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        log.info("Sluice stopping: {} sessions open", registry.size());
        if (admin != null) {
            admin.close();
        }
        listeners.values().forEach(ListenerRuntime::close);
        for (Worker w : workers.all()) {
            w.eventLoop().execute(() -> new ArrayList<>(w.sessions()).forEach(ClientSession::shutdown));
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (registry.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Worker w : workers.all()) {
            try {
                w.eventLoop().submit(() -> {
                    new ArrayList<>(w.sessions()).forEach(s -> s.closeSession("shutdown"));
                    w.pool().closeAll();
                }).await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        monitors.values().forEach(MonitorRuntime::stop);
        services.values().forEach(s -> s.release()); // the registry's reference
        servers.values().forEach(s -> s.release());
        workers.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdownNow();
        log.info("Sluice stopped");
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

}
