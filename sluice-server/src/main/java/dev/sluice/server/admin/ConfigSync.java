package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.config.ParamValues;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ConfigSections;
import dev.sluice.server.config.GlobalParams;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.core.MonitorRuntime;
import dev.sluice.server.core.ServerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MaxScale's configuration synchronisation ({@code config_sync_cluster}): several Sluice instances keep one
 * configuration of their servers, services, listeners, monitors and filters through a row of the table
 * {@code <config_sync_db>.maxscale_config} on the primary of the cluster they monitor. The database is the
 * coordination engine: there is no consensus of Sluice's own.
 *
 * <ul>
 *   <li>A runtime change on this instance ({@link #begin} … {@link Change#commit}) locks the row
 *       ({@code SELECT … FOR UPDATE}) before the change is made; when the cluster holds a newer version than this
 *       instance has applied, the change is refused (400) naming both versions: another instance changed the
 *       configuration first. After the change is applied locally, the new configuration is written with the next
 *       version and committed; when that fails the local change is reverted.</li>
 *   <li>Every {@code config_sync_interval}, the row is read; a newer version is applied as a runtime change would
 *       be. One that cannot be applied (a port in use here, a file missing here) leaves this instance on its
 *       version with the reason in {@code GET /v1/maxscale}'s {@code config_sync.status} and in the row's
 *       {@code nodes}, which every instance updates with its state.</li>
 *   <li>The last configuration applied is cached in {@code datadir/sluice-config.json}; at startup it replaces
 *       the objects of the static files (the {@code [maxscale]} section is always the file's), so an instance
 *       that restarts while the cluster is unreachable comes back with the shared configuration.</li>
 * </ul>
 * The {@code [maxscale]} globals are not synchronised. Row format (MaxScale's table, Sluice's content):
 * {@code config} holds {@code {"sluice": "<the objects in configuration-file syntax>"}}.
 *
 * <p>Thread rules: local changes come from the admin thread, polls from this class's own thread; both hold this
 * object's monitor while they read or change the version, so a poll never applies a version in the middle of a
 * local change.
 */
public final class ConfigSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigSync.class);
    static final String CACHE_FILE = "sluice-config.json";

    private final SluiceServer sluice;
    private final Supplier<ParamValues> globals; // the globals as they are now (config_sync_* are modifiable)
    private final Supplier<ModuleRegistry> modules;
    private final String node;
    private final ScheduledExecutorService poller;

    // guarded by this
    private long version;
    private String origin = "";
    private String checksum = "";
    private String status = "OK";
    private JsonNode nodes = JsonApi.MAPPER.createObjectNode();

    ConfigSync(SluiceServer sluice, Supplier<ParamValues> globals, Supplier<ModuleRegistry> modules, String node) {
        this.sluice = sluice;
        this.globals = globals;
        this.modules = modules;
        this.node = node;
        Cache cached = readCache(globals.get());
        if (cached != null) {
            version = cached.version();
            origin = cached.origin();
            checksum = sha1(cached.config());
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-config-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts polling the cluster; the interval is read again after each poll (it is modifiable). */
    void start() {
        poller.schedule(this::pollAndReschedule, 0, TimeUnit.MILLISECONDS);
    }

    private void pollAndReschedule() {
        try {
            poll();
        } catch (RuntimeException e) {
            log.warn("config_sync: poll failed", e);
        }
        if (!poller.isShutdown()) {
            Duration every = globals().get(GlobalParams.CONFIG_SYNC_INTERVAL);
            poller.schedule(this::pollAndReschedule, Math.max(100, every.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private ParamValues globals() {
        return globals.get();
    }

    boolean enabled() {
        return !globals().get(GlobalParams.CONFIG_SYNC_CLUSTER).isEmpty();
    }

    /** {@code config_sync} of {@code GET /v1/maxscale}: null when synchronisation is off. */
    synchronized JsonNode status() {
        if (!enabled()) {
            return JsonApi.MAPPER.nullNode();
        }
        ObjectNode o = JsonApi.MAPPER.createObjectNode();
        o.put("version", version);
        o.put("origin", origin);
        o.put("checksum", checksum);
        o.put("status", status);
        o.set("nodes", nodes.deepCopy());
        return o;
    }

    // ---- a local change

    /** A local change in progress: the row is locked until {@link #commit} or {@link #rollback}. */
    final class Change implements AutoCloseable {
        private final Connection conn;
        private boolean done;

        private Change(Connection conn) {
            this.conn = conn;
        }

        /** Stores {@code after} as the next version; throws (and rolls back) when it cannot. */
        void commit(ConfigSections after) {
            String text = after.toIni();
            synchronized (ConfigSync.this) {
                long next = version + 1;
                try (PreparedStatement st = conn.prepareStatement("INSERT INTO " + table() + " (cluster, version, "
                        + "config, origin, nodes) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE version = VALUES(version), "
                        + "config = VALUES(config), origin = VALUES(origin), nodes = JSON_SET(nodes, ?, 'OK')")) {
                    st.setString(1, cluster());
                    st.setLong(2, next);
                    st.setString(3, JsonApi.MAPPER.createObjectNode().put("sluice", text).toString());
                    st.setString(4, node);
                    st.setString(5, JsonApi.MAPPER.createObjectNode().put(node, "OK").toString());
                    st.setString(6, nodePath());
                    st.executeUpdate();
                    conn.commit();
                } catch (SQLException e) {
                    throw new AdminApi.ApiError(400, "The change was not stored in cluster '" + cluster() + "' ("
                            + e.getMessage() + "); it was reverted here");
                } finally {
                    done = true;
                    closeQuietly(conn);
                }
                version = next;
                origin = node;
                checksum = sha1(text);
                status = "OK";
                writeCache(text);
            }
        }

        void rollback() {
            if (!done) {
                done = true;
                try {
                    conn.rollback();
                } catch (SQLException e) {
                    log.debug("config_sync: rollback failed: {}", e.toString());
                }
                closeQuietly(conn);
            }
        }

        @Override
        public void close() {
            rollback();
        }
    }

    /**
     * Locks the cluster's configuration row for a local change, or refuses the change: the cluster cannot be
     * reached (as MaxScale, no change without synchronisation), or it holds a version this instance has not
     * applied. Null when synchronisation is off.
     */
    Change begin() {
        if (!enabled()) {
            return null;
        }
        Connection conn = connect();
        try {
            conn.setAutoCommit(false);
            long current;
            String by;
            try (PreparedStatement st = conn.prepareStatement("SELECT version, origin FROM " + table()
                    + " WHERE cluster = ? FOR UPDATE")) {
                st.setString(1, cluster());
                try (ResultSet rs = st.executeQuery()) {
                    current = rs.next() ? rs.getLong(1) : 0;
                    by = current == 0 ? "" : rs.getString(2);
                }
            }
            synchronized (this) {
                if (current > version) {
                    throw new AdminApi.ApiError(400, "Configuration conflict: cluster '" + cluster() + "' holds "
                            + "configuration version " + current + " (changed by " + by + ") but this instance has "
                            + "applied version " + version + " (" + status + "); the change was not made. Retry once "
                            + "this instance has synchronised (config_sync in GET /v1/maxscale)");
                }
            }
            return new Change(conn);
        } catch (SQLException e) {
            closeQuietly(conn);
            throw new AdminApi.ApiError(400, "Cannot lock the shared configuration in cluster '" + cluster() + "': "
                    + e.getMessage() + " (config_sync_cluster: the change was not made)");
        } catch (RuntimeException e) {
            closeQuietly(conn);
            throw e;
        }
    }

    // ---- polling

    void poll() {
        if (!enabled()) {
            return;
        }
        Connection conn;
        try {
            conn = connect();
        } catch (AdminApi.ApiError e) {
            synchronized (this) {
                status = "Error: " + e.getMessage();
            }
            return;
        }
        try (conn) {
            long remote;
            String text;
            String by;
            JsonNode remoteNodes;
            try (PreparedStatement st = conn.prepareStatement("SELECT version, config, origin, nodes FROM " + table()
                    + " WHERE cluster = ?")) {
                st.setString(1, cluster());
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return; // nothing shared yet: the first change creates the row
                    }
                    remote = rs.getLong(1);
                    text = JsonApi.MAPPER.readTree(rs.getString(2)).path("sluice").asText();
                    by = rs.getString(3);
                    remoteNodes = JsonApi.MAPPER.readTree(rs.getString(4));
                }
            }
            String mine;
            synchronized (this) {
                if (remote > version) {
                    apply(remote, text, by);
                }
                mine = status;
                nodes = remoteNodes;
                ((ObjectNode) nodes).put(node, mine);
            }
            try (PreparedStatement st = conn.prepareStatement("UPDATE " + table()
                    + " SET nodes = JSON_SET(nodes, ?, ?) WHERE cluster = ?")) {
                st.setString(1, nodePath());
                st.setString(2, mine);
                st.setString(3, cluster());
                st.executeUpdate();
            }
        } catch (SQLException | IOException e) {
            synchronized (this) {
                status = "Error: cannot read the shared configuration from cluster '" + cluster() + "': "
                        + e.getMessage();
            }
        }
    }

    /** Applies a version read from the cluster; on failure this instance stays where it is and says why. */
    private void apply(long remote, String text, String by) {
        SluiceConfig next;
        try {
            SluiceConfig parsed = ConfigLoader.parse(text, "config_sync version " + remote, modules.get());
            next = new SluiceConfig(sluice.config().global(), parsed.servers(), parsed.services(), parsed.listeners(),
                    parsed.monitors(), parsed.filters());
        } catch (ConfigException e) {
            fail(remote, by, e.problems().stream().map(ObjectMutations::describe).collect(Collectors.joining("; ")));
            return;
        }
        try {
            sluice.reconfigure(next);
        } catch (IOException | RuntimeException e) {
            fail(remote, by, e.getMessage());
            return;
        }
        log.info("config_sync: applied configuration version {} from {} (was version {})", remote, by, version);
        version = remote;
        origin = by;
        checksum = sha1(text);
        status = "OK";
        writeCache(text);
    }

    private void fail(long remote, String by, String why) {
        String was = status;
        status = "Error: configuration version " + remote + " from " + by + " cannot be applied here: " + why
                + "; this instance stays at version " + version;
        if (!status.equals(was)) {
            log.error("config_sync: {}", status);
        }
    }

    // ---- the cluster

    private String cluster() {
        return globals().get(GlobalParams.CONFIG_SYNC_CLUSTER);
    }

    private String table() {
        return "`" + globals().get(GlobalParams.CONFIG_SYNC_DB).replace("`", "``") + "`.maxscale_config";
    }

    private String nodePath() {
        return "$.\"" + node.replace("\"", "") + "\"";
    }

    /** A connection to the first Master of the cluster, the table created when missing. */
    private Connection connect() {
        ParamValues g = globals();
        if (g.get(GlobalParams.CONFIG_SYNC_USER).isEmpty() || g.get(GlobalParams.CONFIG_SYNC_PASSWORD).isEmpty()) {
            throw new AdminApi.ApiError(400, "config_sync_cluster is set but config_sync_user and config_sync_password "
                    + "are not: both are required to reach the shared configuration");
        }
        MonitorRuntime monitor = sluice.monitors().get(cluster());
        if (monitor == null) {
            throw new AdminApi.ApiError(400, "config_sync_cluster names '" + cluster() + "', which is not a monitor");
        }
        ServerRuntime primary = monitor.servers().stream().filter(s -> s.status().isMaster()).findFirst()
                .orElseThrow(() -> new AdminApi.ApiError(400, "Cluster '" + cluster() + "' has no Master to keep "
                        + "the shared configuration (config_sync_cluster)"));
        long timeout = g.get(GlobalParams.CONFIG_SYNC_TIMEOUT).toMillis();
        Properties p = new Properties();
        p.setProperty("user", g.get(GlobalParams.CONFIG_SYNC_USER));
        p.setProperty("password", g.get(GlobalParams.CONFIG_SYNC_PASSWORD));
        p.setProperty("connectTimeout", Long.toString(timeout));
        p.setProperty("socketTimeout", Long.toString(timeout));
        String url = "jdbc:mariadb://" + primary.address() + ":" + primary.port() + "/";
        try {
            Connection c = DriverManager.getConnection(url, p);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS " + table() + " (cluster VARCHAR(256) PRIMARY KEY, "
                        + "version BIGINT NOT NULL, config JSON NOT NULL, origin VARCHAR(254) NOT NULL, "
                        + "nodes JSON NOT NULL) ENGINE=InnoDB");
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
            return c;
        } catch (SQLException e) {
            throw new AdminApi.ApiError(400, "Cannot reach the shared configuration on " + primary.name() + " ("
                    + url + "): " + e.getMessage());
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("config_sync: close failed: {}", e.toString());
        }
    }

    // ---- the local cache

    /** What {@code datadir/sluice-config.json} holds. */
    record Cache(String cluster, long version, String origin, String config) {
    }

    static Cache readCache(ParamValues global) {
        String cluster = global.get(GlobalParams.CONFIG_SYNC_CLUSTER);
        Path file = Path.of(global.get(GlobalParams.DATADIR), CACHE_FILE);
        if (cluster.isEmpty() || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = JsonApi.MAPPER.readTree(file.toFile());
            if (!cluster.equals(n.path("cluster").asText())) {
                return null; // another cluster's
            }
            return new Cache(cluster, n.path("version").asLong(), n.path("origin").asText(),
                    n.path("config").asText());
        } catch (IOException e) {
            log.warn("config_sync: ignoring the unreadable cache {}: {}", file, e.toString());
            return null;
        }
    }

    private void writeCache(String text) {
        Path dir = Path.of(globals().get(GlobalParams.DATADIR));
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(CACHE_FILE + ".tmp");
            ObjectNode o = JsonApi.MAPPER.createObjectNode().put("cluster", cluster()).put("version", version)
                    .put("origin", origin).put("config", text);
            Files.writeString(tmp, o.toString());
            Files.move(tmp, dir.resolve(CACHE_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("config_sync: cannot write the cache in {}: {}", dir, e.toString());
        }
    }

    /**
     * The configuration to start with: {@code staticConfig} with its objects replaced by the cached shared
     * configuration, when synchronisation is on and a cache of the same cluster exists. A cache that no longer
     * validates is ignored (and said so): the cluster's version is fetched at the first poll.
     */
    public static SluiceConfig withCachedObjects(SluiceConfig staticConfig, ModuleRegistry modules) {
        Cache cache = readCache(staticConfig.global().values());
        if (cache == null) {
            return staticConfig;
        }
        try {
            SluiceConfig parsed = ConfigLoader.parse(cache.config(), CACHE_FILE, modules);
            log.info("config_sync: starting with the cached shared configuration, version {}", cache.version());
            return new SluiceConfig(staticConfig.global(), parsed.servers(), parsed.services(), parsed.listeners(),
                    parsed.monitors(), parsed.filters());
        } catch (ConfigException e) {
            log.warn("config_sync: the cached configuration (version {}) is not valid, using the files: {}",
                    cache.version(), e.problems());
            return staticConfig;
        }
    }

    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }

    /** For tests and logs. */
    @Override
    public synchronized String toString() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("status", status);
        for (Iterator<String> it = nodes.fieldNames(); it.hasNext();) {
            String n = it.next();
            m.put(n, nodes.get(n).asText());
        }
        return "ConfigSync" + m;
    }
}
