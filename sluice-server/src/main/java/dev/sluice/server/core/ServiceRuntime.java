package dev.sluice.server.core;

import dev.sluice.api.config.ParamValues;
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
 * registry holds one reference, every session one more; the last release stops the account manager and
 * runs the release hook (exactly once). The server list is an immutable list in a volatile field, swapped by
 * the main worker; a session takes the list once, at its start.
 */
public final class ServiceRuntime extends RefCounted {
    private final String name;
    private final Router router;
    private final ParamValues params;
    private final Settings settings;
    private final UserAccountManager accounts;
    private final Consumer<ServiceRuntime> onRelease;
    private volatile List<ServerRuntime> servers;

    public final AtomicInteger currentSessions = new AtomicInteger();
    public final LongAdder totalSessions = new LongAdder();

    /** Generic service settings the core acts on. */
    public record Settings(String user, String password, String versionString, boolean enableRootUser,
                           Duration waitTimeout, int maxConnections, Duration connectTimeout,
                           boolean logAuthWarnings, Duration connectionKeepalive,
                           boolean skipNameResolve) {
    }

    public ServiceRuntime(String name, Router router, ParamValues params, Settings settings,
                          List<ServerRuntime> servers, UserAccountManager accounts,
                          Consumer<ServiceRuntime> onRelease) {
        this.name = name;
        this.router = router;
        this.params = params;
        this.settings = settings;
        this.servers = List.copyOf(servers);
        this.accounts = accounts;
        this.onRelease = onRelease;
    }

    public String name() {
        return name;
    }

    public Router router() {
        return router;
    }

    public ParamValues params() {
        return params;
    }

    public Settings settings() {
        return settings;
    }

    public List<ServerRuntime> servers() {
        return servers;
    }

    @SuppressWarnings("unchecked")
    public List<Server> serversAsApi() {
        return (List<Server>) (List<?>) servers;
    }

    public void setServers(List<ServerRuntime> newServers) {
        servers = List.copyOf(newServers);
    }

    public UserAccountManager accounts() {
        return accounts;
    }

    /**
     * The version string shown to clients: {@code version_string} if set, else the lowest version seen on
     * the service's servers, with the {@code 5.5.5-} prefix MariaDB clients expect from MariaDB 10+.
     */
    public String versionString() {
        if (!settings.versionString().isEmpty()) {
            return settings.versionString();
        }
        String lowest = null;
        for (ServerRuntime s : servers) {
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
