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
import dev.sluice.server.core.CopyOnWriteMap;
import dev.sluice.server.core.FilterInstances;
import dev.sluice.server.core.Lifecycles;
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
    // the registries: written under changeLock by the thread applying configuration changes, read anywhere
    private final Map<String, ServerRuntime> servers = new CopyOnWriteMap<>();
    private final Map<String, MonitorRuntime> monitors = new CopyOnWriteMap<>();
    private final Map<String, ServiceRuntime> services = new CopyOnWriteMap<>();
    private final Map<String, ListenerRuntime> listeners = new CopyOnWriteMap<>();
    private final FilterInstances filters = new FilterInstances();
    /** Counts services released (last reference dropped); the lifecycle tests read it. */
    public final AtomicInteger releasedServices = new AtomicInteger();
    private final Lifecycles lifecycles = new Lifecycles();
    /** Serialises runtime changes (and the end of them at stop); never held while waiting for the admin thread. */
    private final Object changeLock = new Object();
    private boolean acceptsChanges = true; // guarded by changeLock
    private final long startedAtMillis = System.currentTimeMillis();
    private volatile SluiceConfig config;
    /** The global {@code passive} setting: from the configuration, then {@code PATCH /v1/maxscale}. */
    private volatile boolean passive;
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
        passive = global.get(GlobalParams.PASSIVE);
        workers.setWaterMark(global.get(GlobalParams.WRITEQ_LOW_WATER), global.get(GlobalParams.WRITEQ_HIGH_WATER));
        for (ServerConfig sc : config.servers().values()) {
            servers.put(sc.name(), newServer(sc));
        }
        for (MonitorConfig mc : config.monitors().values()) {
            monitors.put(mc.name(), newMonitor(mc));
        }
        filters.update(config);
        for (ServiceConfig sc : config.services().values()) {
            services.put(sc.name(), newService(sc));
        }
        for (MonitorRuntime m : monitors.values()) {
            m.start();
        }
        for (ServiceRuntime s : services.values()) {
            s.accounts().refresh(true);
        }
        for (ListenerConfig lc : config.listeners().values()) {
            ListenerRuntime l = newListener(lc);
            listeners.put(lc.name(), l);
            l.start();
            log.info("Listener '{}' for service '{}' on {}{}", lc.name(), lc.service(), l.describe(),
                    l.context().ssl() != null ? " (TLS)" : "");
        }
        if (global.get(GlobalParams.ADMIN_ENABLED)) {
            admin = AdminServer.start(this);
        }
    }

    // ---- building runtime objects (at start and for runtime changes)

    private ServerRuntime newServer(ServerConfig sc) throws IOException {
        ParamValues v = sc.values();
        SslContext ssl = v.get(ServerParams.SSL) ? TlsContexts.forBackend(sc.name(), v) : null;
        lifecycles.created(Lifecycles.Kind.SERVER);
        return new ServerRuntime(sc.name(), v.get(ServerParams.ADDRESS), v.get(ServerParams.PORT).intValue(),
                v.get(ServerParams.SOCKET), tunables(v), ssl, this::serverReleased);
    }

    private static ServerRuntime.Tunables tunables(ParamValues v) {
        return new ServerRuntime.Tunables("secondary".equals(v.get(ServerParams.RANK)) ? 1 : 0, v,
                (int) Math.min(Integer.MAX_VALUE, v.get(ServerParams.PERSISTPOOLMAX)),
                v.get(ServerParams.PERSISTMAXTIME));
    }

    /** The last reference to a server was dropped (its last backend connection closed, or its destroy). */
    private void serverReleased(ServerRuntime s) {
        lifecycles.released(Lifecycles.Kind.SERVER);
        log.info("Server '{}' released", s.name());
    }

    /**
     * Destroys a server removed from the configuration: pools stop keeping its connections and close the idle
     * ones on every worker (each holds a reference), then the registry's reference goes. Connections in use
     * by sessions keep it alive until they close.
     */
    private void destroyServer(ServerRuntime s) {
        s.markDestroyed();
        servers.remove(s.name());
        for (Worker w : workers.all()) {
            try {
                w.eventLoop().execute(() -> w.pool().closeServer(s));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the worker is shutting down and closes every connection itself
            }
        }
        s.release();
    }

    private MonitorRuntime newMonitor(MonitorConfig mc) {
        Path datadir = Path.of(config.global().values().get(GlobalParams.DATADIR));
        MonitorFactory factory = mc.module().factory(MonitorFactory.class);
        MonitorRuntime m = new MonitorRuntime(mc.name(), factory, mc.values(), lookup(mc.servers()),
                datadir.resolve(mc.name()), r -> {
                    lifecycles.released(Lifecycles.Kind.MONITOR);
                    log.info("Monitor '{}' released", r.name());
                }, this::passive);
        lifecycles.created(Lifecycles.Kind.MONITOR);
        return m;
    }

    private ServiceRuntime newService(ServiceConfig sc) {
        ServiceRuntime.Snapshot snapshot = serviceSnapshot(sc);
        ServiceRuntime[] self = new ServiceRuntime[1];
        UserAccountManager accounts = newAccounts(sc.name(), snapshot.settings(), () -> self[0].serversAsApi());
        ServiceRuntime service = new ServiceRuntime(sc.name(), snapshot.router(), snapshot.params(),
                snapshot.settings(), snapshot.servers(), accounts, s -> {
                    releasedServices.incrementAndGet();
                    lifecycles.released(Lifecycles.Kind.SERVICE);
                    log.info("Service '{}' released", s.name());
                });
        self[0] = service;
        service.publish(snapshot); // with its filters, before any session can find the service
        lifecycles.created(Lifecycles.Kind.SERVICE);
        return service;
    }

    private UserAccountManager newAccounts(String service, ServiceRuntime.Settings settings,
                                           java.util.function.Supplier<List<dev.sluice.api.server.Server>> targets) {
        ParamValues global = config.global().values();
        return new UserAccountManager(service, new UserAccountLoader(settings.user(), settings.password(),
                settings.connectTimeout()), targets, blocking, global.get(GlobalParams.USERS_REFRESH_TIME));
    }

    /** A new router instance with the service's parameters, its settings and its servers as they are now. */
    private ServiceRuntime.Snapshot serviceSnapshot(ServiceConfig sc) {
        ParamValues global = config.global().values();
        ParamValues v = sc.values();
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
                (int) Math.min(Integer.MAX_VALUE, v.get(ServiceParams.MAX_CONNECTIONS)),
                global.get(GlobalParams.AUTH_CONNECT_TIMEOUT), v.get(ServiceParams.LOG_AUTH_WARNINGS),
                v.get(ServiceParams.CONNECTION_KEEPALIVE), global.get(GlobalParams.SKIP_NAME_RESOLVE));
        return new ServiceRuntime.Snapshot(router, v, settings, serviceTargets(sc), filters.chain(sc.filters()));
    }

    private List<ServerRuntime> serviceTargets(ServiceConfig sc) {
        return sc.cluster() != null && monitors.containsKey(sc.cluster())
                ? monitors.get(sc.cluster()).servers() : lookup(sc.servers());
    }

    /** A listener for an existing service, not yet bound. */
    private ListenerRuntime newListener(ListenerConfig lc) throws IOException {
        ParamValues v = lc.values();
        SslContext ssl = v.get(ListenerParams.SSL) ? TlsContexts.forListener(lc.name(), v) : null;
        ListenerContext ctx = new ListenerContext(lc.name(), services.get(lc.service()), ssl, registry, workers, 45,
                lc.authenticators());
        ListenerRuntime l = new ListenerRuntime(lc.name(), ctx, v.get(ListenerParams.ADDRESS),
                v.get(ListenerParams.PORT).intValue(), v.get(ListenerParams.SOCKET), r -> {
                    lifecycles.released(Lifecycles.Kind.LISTENER);
                    log.info("Listener '{}' released", r.name());
                });
        lifecycles.created(Lifecycles.Kind.LISTENER);
        return l;
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

    // ---- runtime changes

    /**
     * Makes the running objects match {@code next}, a configuration validated by the loader: objects that
     * appear are built and started, objects whose parameters or links changed get a new snapshot (sessions
     * running keep theirs), objects that disappear are removed from their registry and their registry
     * reference is dropped: a listener stops accepting at once, a service refuses new sessions and is
     * released with its last session, a server or monitor is released at once. Runs under the change lock,
     * so changes never interleave; called by the admin thread.
     *
     * @throws IOException when a new listener cannot bind; nothing has changed then (for a change that only
     *                     adds listeners to existing services, which is what the REST API makes)
     */
    public void reconfigure(SluiceConfig next) throws IOException {
        synchronized (changeLock) {
            if (!acceptsChanges) {
                throw new IllegalStateException("Sluice is stopping: no more configuration changes");
            }
            SluiceConfig prev = config;
            Map<String, ListenerRuntime> bound = bindNewListeners(next);
            config = next;
            try {
                apply(prev, next, bound);
            } catch (IOException | RuntimeException e) {
                // a failure building the one new object of a REST change (a TLS file, say) leaves the objects
                // as they were: so must the configuration they are described by
                config = prev;
                bound.values().stream().filter(l -> listeners.get(l.name()) != l).forEach(ListenerRuntime::release);
                throw e;
            }
        }
    }

    private void apply(SluiceConfig prev, SluiceConfig next, Map<String, ListenerRuntime> bound) throws IOException {
        for (ServerConfig sc : next.servers().values()) {
            ServerRuntime s = servers.get(sc.name());
            if (s == null) {
                servers.put(sc.name(), newServer(sc));
            } else if (!sameValues(prev.servers().get(sc.name()).values(), sc.values())) {
                s.retune(tunables(sc.values()));
            }
        }
        for (MonitorRuntime m : List.copyOf(monitors.values())) {
            MonitorConfig mc = next.monitors().get(m.name());
            if (mc == null || !sameMonitor(prev.monitors().get(m.name()), mc)) {
                boolean wasRunning = m.isRunning();
                monitors.remove(m.name());
                m.release(); // stops it
                if (mc != null) {
                    MonitorRuntime replacement = newMonitor(mc);
                    monitors.put(mc.name(), replacement);
                    if (wasRunning) {
                        replacement.start();
                    }
                }
            }
        }
        for (MonitorConfig mc : next.monitors().values()) {
            if (!monitors.containsKey(mc.name())) {
                MonitorRuntime m = newMonitor(mc);
                monitors.put(mc.name(), m);
                m.start();
            }
        }
        filters.update(next);
        for (ServiceConfig sc : next.services().values()) {
            ServiceRuntime s = services.get(sc.name());
            if (s == null) {
                ServiceRuntime created = newService(sc);
                services.put(sc.name(), created);
                created.accounts().refresh(true);
            } else {
                updateService(s, prev.services().get(sc.name()), sc);
            }
        }
        for (ListenerRuntime l : List.copyOf(listeners.values())) {
            if (!next.listeners().containsKey(l.name())) {
                listeners.remove(l.name());
                l.release(); // closes the socket
            }
        }
        for (ListenerConfig lc : next.listeners().values()) {
            if (!listeners.containsKey(lc.name())) {
                ListenerRuntime l = bound.get(lc.name());
                if (l == null) {
                    l = newListener(lc);
                    l.start();
                }
                listeners.put(lc.name(), l);
                log.info("Listener '{}' for service '{}' on {}", lc.name(), lc.service(), l.describe());
            }
        }
        for (ServiceRuntime s : List.copyOf(services.values())) {
            if (!next.services().containsKey(s.name())) {
                s.markDestroyed(); // before the release: a connection that still finds it is refused
                services.remove(s.name());
                s.release();
            }
        }
        for (ServerRuntime s : List.copyOf(servers.values())) {
            if (!next.servers().containsKey(s.name())) {
                destroyServer(s);
            }
        }
    }

    /** Binds the listeners {@code next} adds to services that exist already: all of them, or none. */
    private Map<String, ListenerRuntime> bindNewListeners(SluiceConfig next) throws IOException {
        Map<String, ListenerRuntime> bound = new java.util.LinkedHashMap<>();
        for (ListenerConfig lc : next.listeners().values()) {
            if (listeners.containsKey(lc.name()) || !services.containsKey(lc.service())) {
                continue;
            }
            ListenerRuntime l = newListener(lc);
            try {
                l.start();
            } catch (IOException | RuntimeException e) {
                l.release();
                bound.values().forEach(ListenerRuntime::release);
                throw e;
            }
            bound.put(lc.name(), l);
        }
        return bound;
    }

    private void updateService(ServiceRuntime s, ServiceConfig before, ServiceConfig after) {
        if (!sameValues(before.values(), after.values())) {
            ServiceRuntime.Snapshot next = serviceSnapshot(after);
            ServiceRuntime.Settings old = s.settings();
            s.publish(next);
            if (!old.user().equals(next.settings().user()) || !old.password().equals(next.settings().password())) {
                s.replaceAccounts(newAccounts(s.name(), next.settings(), s::serversAsApi));
                s.accounts().refresh(true);
            }
        } else {
            List<ServerRuntime> targets = serviceTargets(after);
            if (!targets.equals(s.servers())) {
                s.setServers(targets);
            }
            List<dev.sluice.api.filter.Filter> chain = filters.chain(after.filters());
            if (!chain.equals(s.snapshot().filters())) {
                s.publish(s.snapshot().withFilters(chain)); // a filter it uses was altered
            }
        }
    }

    private static boolean sameValues(ParamValues a, ParamValues b) {
        return a.asMap().equals(b.asMap());
    }

    private static boolean sameMonitor(MonitorConfig a, MonitorConfig b) {
        return a != null && a.module() == b.module() && a.servers().equals(b.servers())
                && sameValues(a.values(), b.values());
    }

    /** Stops or starts accepting on a listener; false when there is no such listener. */
    public boolean setListenerStarted(String name, boolean start) throws IOException {
        synchronized (changeLock) {
            ListenerRuntime l = listeners.get(name);
            if (l == null) {
                return false;
            }
            if (!start) {
                l.close();
            } else if (!l.isListening()) {
                l.start();
            }
            return true;
        }
    }

    /** A stopped service refuses new sessions and its listeners stop accepting; false when unknown. */
    public boolean setServiceStarted(String name, boolean start) throws IOException {
        synchronized (changeLock) {
            ServiceRuntime s = services.get(name);
            if (s == null) {
                return false;
            }
            s.setStopped(!start);
            for (ListenerRuntime l : listeners.values()) {
                if (l.context().service() == s) {
                    if (!start) {
                        l.close();
                    } else if (!l.isListening()) {
                        l.start();
                    }
                }
            }
            return true;
        }
    }

    /** Stops or starts a monitor's thread; false when there is no such monitor. */
    public boolean setMonitorStarted(String name, boolean start) {
        synchronized (changeLock) {
            MonitorRuntime m = monitors.get(name);
            if (m == null) {
                return false;
            }
            if (start && !m.isRunning()) {
                m.start();
            } else if (!start) {
                m.stop();
            }
            return true;
        }
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

    /** The current instance of a filter (what new sessions get), or null. */
    public dev.sluice.api.filter.Filter filter(String name) {
        return filters.get(name);
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

    /** Objects created and released so far, per kind (tests assert exactly-once release with it). */
    public Lifecycles lifecycles() {
        return lifecycles;
    }

    /** The global {@code passive} setting as it is now: monitors perform no automatic cluster operation. */
    public boolean passive() {
        return passive;
    }

    /** Changes the global {@code passive} setting at runtime ({@code PATCH /v1/maxscale}). */
    public void passive(boolean on) {
        if (passive != on) {
            log.info("passive={}: monitors {} automatic cluster operations", on, on ? "stop" : "resume");
        }
        passive = on;
    }

    /** The configuration this instance runs with now (the loaded one plus the runtime changes). */
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
        synchronized (changeLock) {
            acceptsChanges = false;
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
        // the registry's references: each object is released here unless a session still holds it
        listeners.values().forEach(ListenerRuntime::release);
        monitors.values().forEach(MonitorRuntime::release);
        services.values().forEach(ServiceRuntime::release);
        servers.values().forEach(ServerRuntime::release);
        workers.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        blocking.shutdownNow();
        log.info("Sluice stopped");
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

}
