package dev.sluice.server.core;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.filter.Filter;
import dev.sluice.api.router.Router;
import dev.sluice.api.server.Server;
import dev.sluice.server.auth.UserAccountManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A service at runtime: its router instance, its servers, its user accounts. Reference counted: the
 * registry holds one reference, every session one more; the last release runs the release hook (exactly
 * once).
 *
 * <p>The router instance (which holds the router's parameters), the service parameters and the server list
 * form one immutable {@link Snapshot} in a volatile field, replaced as a whole by the thread applying
 * configuration changes. A session takes the snapshot once, at its start, and keeps it for its life: changed
 * parameters and links apply to new sessions only, and no session ever sees a router of one configuration
 * with the servers of another.
 */
public final class ServiceRuntime extends RefCounted {
    private final String name;
    /** Replaced by the thread applying configuration changes when the service user or password changes. */
    private volatile UserAccountManager accounts;
    private final Consumer<ServiceRuntime> onRelease;
    private volatile Snapshot snapshot;
    /** Set by the thread applying configuration changes; a stopped service's listeners do not accept. */
    private volatile boolean stopped;

    public final AtomicInteger currentSessions = new AtomicInteger();
    public final LongAdder totalSessions = new LongAdder();
    /** Client requests (packets) its sessions routed: MaxScale's per-service {@code routed_packets}. */
    public final LongAdder routedPackets = new LongAdder();

    /** Generic service settings the core acts on. */
    public record Settings(String user, String password, String versionString, boolean enableRootUser,
                           Duration waitTimeout, int maxConnections, Duration connectTimeout,
                           boolean logAuthWarnings, Duration connectionKeepalive,
                           boolean skipNameResolve) {
    }

    /**
     * One consistent configuration of the service: what a session runs with from its start to its end (or to
     * its restart). {@code version} counts the snapshots the service has published, starting at 1; the
     * service numbers each one as it publishes it.
     *
     * @param filters the filter instances of {@code filters=}, in chain order (empty: no chain at all)
     */
    public record Snapshot(Router router, ParamValues params, Settings settings, List<ServerRuntime> servers,
                           List<Filter> filters, long version) {
        public Snapshot {
            servers = List.copyOf(servers);
            filters = List.copyOf(filters);
        }

        public Snapshot(Router router, ParamValues params, Settings settings, List<ServerRuntime> servers) {
            this(router, params, settings, servers, List.of(), 1);
        }

        public Snapshot(Router router, ParamValues params, Settings settings, List<ServerRuntime> servers,
                        List<Filter> filters) {
            this(router, params, settings, servers, filters, 1);
        }

        /** The same configuration with other filter instances (a filter used by the service changed). */
        public Snapshot withFilters(List<Filter> next) {
            return new Snapshot(router, params, settings, servers, next, version);
        }

        @SuppressWarnings("unchecked")
        public List<Server> serversAsApi() {
            return (List<Server>) (List<?>) servers;
        }
    }

    public ServiceRuntime(String name, Router router, ParamValues params, Settings settings,
                          List<ServerRuntime> servers, UserAccountManager accounts,
                          Consumer<ServiceRuntime> onRelease) {
        this.name = name;
        this.snapshot = new Snapshot(router, params, settings, servers);
        this.accounts = accounts;
        this.onRelease = onRelease;
    }

    /** The current configuration; a session reads it once and keeps it. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** Publishes a new configuration for sessions that start from now on (existing ones keep theirs). */
    public void publish(Snapshot next) {
        snapshot = new Snapshot(next.router(), next.params(), next.settings(), next.servers(), next.filters(),
                snapshot.version() + 1);
    }

    /** The services {@code targets=} names (routing to services), set by the configuration thread. */
    private volatile List<String> serviceTargets = List.of();

    public List<String> serviceTargets() {
        return serviceTargets;
    }

    public void serviceTargets(List<String> names) {
        serviceTargets = List.copyOf(names);
    }

    /** Set once by the thread destroying the service, before it drops the registry's reference. */
    private volatile boolean destroyed;

    /** Marks the service destroyed: new connections are refused from now on, running sessions carry on. */
    public void markDestroyed() {
        destroyed = true;
    }

    /** False once the service is stopped or destroyed; checked by a new connection after it took its reference. */
    public boolean acceptsSessions() {
        return !stopped && !destroyed;
    }

    public boolean isStopped() {
        return stopped;
    }

    public void setStopped(boolean value) {
        stopped = value;
    }

    public String name() {
        return name;
    }

    public Router router() {
        return snapshot.router();
    }

    public ParamValues params() {
        return snapshot.params();
    }

    public Settings settings() {
        return snapshot.settings();
    }

    public List<ServerRuntime> servers() {
        return snapshot.servers();
    }

    public List<Server> serversAsApi() {
        return snapshot.serversAsApi();
    }

    public void setServers(List<ServerRuntime> newServers) {
        Snapshot s = snapshot;
        snapshot = new Snapshot(s.router(), s.params(), s.settings(), newServers, s.filters(), s.version() + 1);
    }

    /** Uses another account manager from now on (the service's credentials changed). */
    public void replaceAccounts(UserAccountManager next) {
        accounts = next;
    }

    public UserAccountManager accounts() {
        return accounts;
    }

    /**
     * The version string shown to clients: {@code version_string} if set, else the lowest version seen on
     * the service's servers, with the {@code 5.5.5-} prefix MariaDB clients expect from MariaDB 10+.
     */
    public String versionString() {
        Snapshot snap = snapshot;
        if (!snap.settings().versionString().isEmpty()) {
            return snap.settings().versionString();
        }
        String lowest = null;
        for (ServerRuntime s : snap.servers()) {
            String v = s.version();
            if (!v.isEmpty() && (lowest == null || compareVersions(v, lowest) < 0)) {
                lowest = v;
            }
        }
        if (lowest == null) {
            return "5.5.5-10.11.0-MariaDB-Sluice";
        }
        return lowest.startsWith("5.5.5-") || !lowest.contains("MariaDB") ? lowest : "5.5.5-" + lowest;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.min(3, Math.min(x.length, y.length)); i++) {
            int c = Integer.compare(leadingInt(x[i]), leadingInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int leadingInt(String s) {
        int n = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)) && i < 9; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
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
