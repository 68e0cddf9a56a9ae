package dev.sluice.modules.mariadbmon;

import dev.sluice.api.server.Server;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code cooperative_monitoring_locks}: several monitors (one per proxy) in front of one cluster agree on which
 * of them performs cluster operations, using the servers themselves as the coordinator. Every monitor tries to
 * take the named lock {@value #SERVER_LOCK} with {@code GET_LOCK(name, 0)} on every running server; the monitor
 * that holds the locks of a majority of the servers ({@code majority_of_all}: more than half of all the
 * monitored servers; {@code majority_of_running}: more than half of those running) is the <em>primary
 * monitor</em>. Only it runs automatic operations and accepts manual ones; the others report
 * "not primary monitor". The primary monitor also holds {@value #MASTER_LOCK} on the server it considers the
 * primary, so the others can see which server that is.
 *
 * <p>The locks live in a dedicated JDBC connection per server with a short session {@code wait_timeout}: when
 * the proxy stops, its connections close and the locks vanish at once; when it dies or is cut off, the servers
 * end its sessions after {@code wait_timeout} seconds and another monitor takes over. A monitor that holds some
 * locks but no majority releases them (so that another can complete its majority) and waits a random number of
 * ticks before trying again, which breaks the tie of two monitors that split the locks.
 *
 * <p>Confined to the monitor thread.
 */
final class CooperativeLocks implements AutoCloseable {

    static final String SERVER_LOCK = "maxscale_mariadbmonitor";
    static final String MASTER_LOCK = "maxscale_mariadbmonitor_master";

    /** The values of {@code cooperative_monitoring_locks}. */
    enum Mode {
        NONE, MAJORITY_OF_ALL, MAJORITY_OF_RUNNING;

        static Mode parse(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private final Mode mode;
    private final List<Server> servers;
    private final MariaDbMonitorConfig config;
    private final int waitTimeoutSeconds;
    private final Connection[] connections;
    private final boolean[] held;
    private final boolean[] masterHeld;
    /** Whether another monitor holds the master lock on the server (read each tick while secondary). */
    private final boolean[] masterLockElsewhere;
    private boolean primaryMonitor;
    /** No lock is taken before this tick (after releasing a minority or the release-locks command). */
    private long quietUntil;
    private long tick;

    CooperativeLocks(Mode mode, List<Server> servers, MariaDbMonitorConfig config) {
        this.mode = mode;
        this.servers = List.copyOf(servers);
        this.config = config;
        int n = servers.size();
        this.connections = new Connection[n];
        this.held = new boolean[n];
        this.masterHeld = new boolean[n];
        this.masterLockElsewhere = new boolean[n];
        this.waitTimeoutSeconds = waitTimeoutSeconds(config, n);
        this.primaryMonitor = mode == Mode.NONE;
    }

    /**
     * The session {@code wait_timeout} of the lock connections: they are used every tick, and a tick lasts at
     * most the interval plus the connect and read timeouts of every server, so a live monitor never loses its
     * locks to it while a dead one loses them after about that long.
     */
    static int waitTimeoutSeconds(MariaDbMonitorConfig config, int servers) {
        long ms = config.monitorInterval().toMillis()
                + (long) servers * (config.connectTimeout().toMillis() + config.readTimeout().toMillis());
        return (int) Math.max(2, (ms + 999) / 1000 + 1);
    }

    /** The number of locks that makes a majority, given how many servers run. */
    static int majority(Mode mode, int all, int running) {
        return switch (mode) {
            case NONE -> 0;
            case MAJORITY_OF_ALL -> all / 2 + 1;
            case MAJORITY_OF_RUNNING -> running / 2 + 1;
        };
    }

    boolean enabled() {
        return mode != Mode.NONE;
    }

    /** Whether this monitor may perform cluster operations (always, without cooperative monitoring). */
    boolean isPrimaryMonitor() {
        return primaryMonitor;
    }

    /**
     * One round after the servers were probed: verifies the locks held, takes free ones, decides whether this
     * monitor is the primary monitor, and moves the master lock to {@code primaryServer}.
     */
    void update(boolean[] running, int primaryServer) {
        if (mode == Mode.NONE) {
            return;
        }
        tick++;
        int n = servers.size();
        int runningCount = 0;
        for (int i = 0; i < n; i++) {
            if (running[i]) {
                runningCount++;
            }
            if (!running[i] && connections[i] != null) {
                drop(i); // the server is gone, and with it the session and its locks
            } else if (held[i] && !stillHeld(i, SERVER_LOCK)) {
                held[i] = false;
                masterHeld[i] = false;
            }
        }
        int needed = majority(mode, n, runningCount);
        if (tick >= quietUntil) {
            for (int i = 0; i < n; i++) {
                if (running[i] && !held[i]) {
                    held[i] = tryLock(i, SERVER_LOCK);
                }
            }
        }
        int count = heldCount();
        boolean wasPrimary = primaryMonitor;
        primaryMonitor = count >= needed && count > 0;
        if (!primaryMonitor && count > 0) {
            // a minority helps nobody: free it so the monitor with the rest can reach a majority
            releaseAll();
            quietUntil = tick + 1 + ThreadLocalRandom.current().nextInt(3);
        }
        if (primaryMonitor != wasPrimary) {
            org.slf4j.LoggerFactory.getLogger(CooperativeLocks.class).info(
                    "cooperative monitoring: this monitor is {} ({} of {} locks, {} needed)",
                    primaryMonitor ? "now the primary monitor" : "no longer the primary monitor", count, n, needed);
        }
        for (int i = 0; i < n; i++) {
            if (primaryMonitor && i == primaryServer && running[i]) {
                if (!masterHeld[i]) {
                    masterHeld[i] = tryLock(i, MASTER_LOCK);
                }
            } else if (masterHeld[i]) {
                release(i, MASTER_LOCK);
                masterHeld[i] = false;
            }
            masterLockElsewhere[i] = !primaryMonitor && running[i] && usedByOther(i, MASTER_LOCK);
        }
    }

    /** Whether another monitor marks server {@code i} as its primary with the master lock. */
    boolean masterLockedElsewhere(int i) {
        return masterLockElsewhere[i];
    }

    /** Whether any server carries another monitor's master lock. */
    boolean anyMasterLockElsewhere() {
        for (boolean b : masterLockElsewhere) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /** {@code release-locks}: frees every lock and stays away from them for a while. */
    String releaseLocks(long quietTicks) {
        int count = heldCount();
        releaseAll();
        primaryMonitor = mode == Mode.NONE;
        quietUntil = tick + quietTicks;
        return "release-locks: released " + count + " lock(s); not taking locks for " + quietTicks + " ticks";
    }

    private int heldCount() {
        int count = 0;
        for (boolean b : held) {
            if (b) {
                count++;
            }
        }
        return count;
    }

    private void releaseAll() {
        for (int i = 0; i < servers.size(); i++) {
            if (masterHeld[i]) {
                release(i, MASTER_LOCK);
                masterHeld[i] = false;
            }
            if (held[i]) {
                release(i, SERVER_LOCK);
                held[i] = false;
            }
        }
    }

    private Connection connection(int i) throws SQLException {
        if (connections[i] == null) {
            Connection c = ServerProbe.open(servers.get(i), config, config.connectTimeout().toMillis(),
                    config.readTimeout().toMillis());
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION wait_timeout=" + waitTimeoutSeconds);
            } catch (SQLException e) {
                close(c);
                throw e;
            }
            connections[i] = c;
        }
        return connections[i];
    }

    private boolean tryLock(int i, String name) {
        return flag(i, "SELECT GET_LOCK(?, 0)", name);
    }

    private boolean stillHeld(int i, String name) {
        return flag(i, "SELECT IS_USED_LOCK(?) = CONNECTION_ID()", name);
    }

    private boolean usedByOther(int i, String name) {
        return flag(i, "SELECT IS_USED_LOCK(?) IS NOT NULL AND IS_USED_LOCK(?) <> CONNECTION_ID()", name, name);
    }

    /** A one-value query on the lock connection of server {@code i}; false (and the connection dropped) on error. */
    private boolean flag(int i, String sql, String... args) {
        try (PreparedStatement ps = connection(i).prepareStatement(sql)) {
            for (int a = 0; a < args.length; a++) {
                ps.setString(a + 1, args[a]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            drop(i);
            return false;
        }
    }

    private void release(int i, String name) {
        if (connections[i] == null) {
            return;
        }
        try (PreparedStatement ps = connections[i].prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, name);
            ps.executeQuery().close();
        } catch (SQLException e) {
            drop(i); // closing the session frees its locks as well
        }
    }

    /** Forgets a broken lock connection; the server frees whatever it held. */
    private void drop(int i) {
        close(connections[i]);
        connections[i] = null;
        held[i] = false;
        masterHeld[i] = false;
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken: the server ends the session and its locks
            }
        }
    }

    /** The diagnostics entry: mode, role and the locks held. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cooperative_monitoring_locks", mode.name().toLowerCase(java.util.Locale.ROOT));
        m.put("primary_monitor", primaryMonitor);
        m.put("state", primaryMonitor ? "primary monitor" : "not primary monitor");
        List<String> locks = new ArrayList<>();
        List<String> master = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            if (held[i]) {
                locks.add(servers.get(i).name());
            }
            if (masterHeld[i]) {
                master.add(servers.get(i).name());
            }
        }
        m.put("server_locks_held", locks);
        m.put("master_lock_held", master);
        m.put("lock_wait_timeout", waitTimeoutSeconds);
        return m;
    }

    @Override
    public void close() {
        for (int i = 0; i < servers.size(); i++) {
            close(connections[i]);
            connections[i] = null;
            held[i] = false;
            masterHeld[i] = false;
        }
        primaryMonitor = mode == Mode.NONE;
    }
}
