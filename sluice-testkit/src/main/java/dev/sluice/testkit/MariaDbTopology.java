package dev.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MariaDB primary with N GTID replicas on free loopback ports, each with its own datadir, socket and
 * process — the Java twin of lab/topology.sh, with the same accounts:
 * <ul>
 *   <li>{@code root} / {@link #ROOT_PASSWORD}: over the unix socket only ({@link MariaDbNode#rootConnection()});</li>
 *   <li>{@code maxuser} / {@code maxpwd}: service, monitor, failover and switchover grants;</li>
 *   <li>{@code app} / {@code apppwd}: ALL on {@code test.*} and {@code sbtest.*};</li>
 *   <li>{@code repl} / {@code replpwd}: the replicas' replication user.</li>
 * </ul>
 * Accounts and databases are created on every node with {@code sql_log_bin=0}, so that all GTID positions
 * start empty and a test's first write is the primary's {@code 0-1-1}.
 *
 * <pre>{@code
 * try (MariaDbTopology topology = MariaDbTopology.builder().replicas(2).start()) {
 *     try (Connection c = topology.primary().connect("app", "apppwd")) { ... }
 *     topology.waitForReplication(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops every process it started (by PID) and deletes the directory. Thread-safe for the
 * accessors; lifecycle calls are meant for one test thread at a time.
 */
public final class MariaDbTopology implements AutoCloseable {

    public static final String ROOT_PASSWORD = "rootpwd";
    public static final String MONITOR_USER = "maxuser";
    public static final String MONITOR_PASSWORD = "maxpwd";
    public static final String APP_USER = "app";
    public static final String APP_PASSWORD = "apppwd";
    public static final String REPLICATION_USER = "repl";
    public static final String REPLICATION_PASSWORD = "replpwd";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static final String PROXY_GRANTS = "SHOW DATABASES, PROCESS, RELOAD, EVENT, SUPER, READ_ONLY ADMIN,"
            + " REPLICATION CLIENT, REPLICATION SLAVE, SLAVE MONITOR, BINLOG MONITOR, BINLOG ADMIN,"
            + " REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, CONNECTION ADMIN, SET USER";

    private final Path dir;
    private final MariaDbBinaries binaries;
    private final MariaDbNode primary;
    private final List<MariaDbNode> replicas;
    private final List<MariaDbNode> nodes;
    private volatile boolean closed;

    private MariaDbTopology(Path dir, MariaDbBinaries binaries, MariaDbNode primary, List<MariaDbNode> replicas) {
        this.dir = dir;
        this.binaries = binaries;
        this.primary = primary;
        this.replicas = List.copyOf(replicas);
        List<MariaDbNode> all = new ArrayList<>();
        all.add(primary);
        all.addAll(replicas);
        this.nodes = List.copyOf(all);
    }

    public static Builder builder() {
        return new Builder();
    }

    public MariaDbNode primary() {
        return primary;
    }

    public List<MariaDbNode> replicas() {
        return replicas;
    }

    /** Primary first, then the replicas in order. */
    public List<MariaDbNode> nodes() {
        return nodes;
    }

    public MariaDbNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("node: " + name + " (expected one of " + nodes + ")"));
    }

    public Path directory() {
        return dir;
    }

    public MariaDbBinaries binaries() {
        return binaries;
    }

    /**
     * Waits until every running replica has applied the primary's current {@code gtid_binlog_pos}
     * ({@code MASTER_GTID_WAIT}); throws when one does not within {@code timeout}.
     */
    public void waitForReplication(Duration timeout) {
        try {
            String position;
            try (Connection c = primary.rootConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
                rs.next();
                position = rs.getString(1);
            }
            for (MariaDbNode replica : replicas) {
                if (!replica.isRunning()) {
                    continue;
                }
                try (Connection c = replica.rootConnection();
                     var ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
                    ps.setString(1, position);
                    ps.setDouble(2, Math.max(0.001, timeout.toMillis() / 1000.0));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) != 0) {
                            throw new IllegalStateException(replica.name() + " did not reach gtid " + position
                                    + " within " + timeout + ": " + replicationStatus(replica));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("waitForReplication: " + e.getMessage(), e);
        }
    }

    /**
     * Brings the topology back to its initial shape after a test played with it: stopped nodes are started,
     * the primary is writable and replicates from nobody, every replica is read-only and replicates from the
     * primary, and the replicas have caught up. Data written by tests stays.
     */
    public void heal() {
        Builder.parallel(nodes, node -> {
            if (!node.isRunning()) {
                node.start();
            }
        });
        try {
            try (Connection c = primary.rootConnection(); Statement s = c.createStatement()) {
                s.execute("SET GLOBAL read_only=0");
                boolean replicating;
                try (ResultSet rs = s.executeQuery("SHOW ALL SLAVES STATUS")) {
                    replicating = rs.next();
                }
                if (replicating) {
                    s.execute("STOP ALL SLAVES");
                    s.execute("RESET SLAVE ALL");
                }
            }
            for (MariaDbNode replica : replicas) {
                boolean configured;
                try (Connection c = replica.rootConnection(); Statement s = c.createStatement()) {
                    s.execute("SET GLOBAL read_only=1");
                    try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                        configured = rs.next() && primary.port() == rs.getInt("Master_Port");
                    }
                    if (!configured) {
                        s.execute("STOP ALL SLAVES");
                        s.execute("RESET SLAVE ALL");
                    }
                }
                if (configured) {
                    try (Connection c = replica.rootConnection(); Statement s = c.createStatement()) {
                        s.execute("START SLAVE"); // a no-op (note 1254) when it already runs
                    }
                } else {
                    Bootstrap.replicateFrom(replica, primary);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("heal: " + e.getMessage(), e);
        }
        waitForReplication(Duration.ofSeconds(30));
    }

    private static String replicationStatus(MariaDbNode replica) {
        try (Connection c = replica.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next()) {
                return "not replicating";
            }
            return "io=" + rs.getString("Slave_IO_Running") + " sql=" + rs.getString("Slave_SQL_Running")
                    + " gtid_io_pos=" + rs.getString("Gtid_IO_Pos") + " io_error=" + rs.getString("Last_IO_Error")
                    + " sql_error=" + rs.getString("Last_SQL_Error");
        } catch (SQLException e) {
            return "(status unavailable: " + e.getMessage() + ")";
        }
    }

    /**
     * Kills every process this topology started (SIGKILL by PID: the data is deleted right after, so a clean
     * shutdown would only cost time) and deletes its directory.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // replicas first so that they do not log reconnect noise against a vanished primary
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (MariaDbNode replica : replicas) {
            stops.add(CompletableFuture.runAsync(replica::kill9));
        }
        stops.forEach(CompletableFuture::join);
        primary.kill9();
        try {
            MariaDbBinaries.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "MariaDbTopology" + nodes;
    }

    interface NodeTask {
        void run(MariaDbNode node) throws SQLException;
    }

    /** Collects the shape of a topology; {@link #start()} builds and starts it. */
    public static final class Builder {
        private int replicas = 2;
        private Path baseDirectory = Path.of("target", "sluice-mariadb");
        private String namePrefix = "db";
        private final List<String> extraCnfLines = new ArrayList<>();
        private MariaDbBinaries binaries;

        private Builder() {
        }

        public Builder replicas(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("replicas: " + count + " (expected: >= 0)");
            }
            this.replicas = count;
            return this;
        }

        /** The parent of the topology's own directory (default {@code target/sluice-mariadb}). */
        public Builder baseDirectory(Path directory) {
            this.baseDirectory = directory;
            return this;
        }

        /** Node names are PREFIX1 (the primary), PREFIX2, … (default {@code db}). */
        public Builder namePrefix(String prefix) {
            this.namePrefix = prefix;
            return this;
        }

        /** A line appended to every node's {@code [mysqld]} section, e.g. {@code "max_connections=2000"}. */
        public Builder cnfLine(String line) {
            this.extraCnfLines.add(line);
            return this;
        }

        public Builder binaries(MariaDbBinaries binaries) {
            this.binaries = binaries;
            return this;
        }

        /**
         * Creates the directories, starts all nodes in parallel, creates the accounts, points the replicas at
         * the primary and waits until they replicate. On failure everything started so far is stopped.
         */
        public MariaDbTopology start() {
            MariaDbBinaries bin = binaries != null ? binaries : MariaDbBinaries.locate();
            Path parent = baseDirectory.toAbsolutePath().normalize();
            ChildProcesses.sweepOrphans(parent);
            Path dir = parent.resolve(namePrefix + "-" + ProcessHandle.current().pid() + "-"
                    + SEQUENCE.incrementAndGet());
            MariaDbTopology topology;
            try {
                MariaDbBinaries.deleteTree(dir);
                Files.createDirectories(dir);
                ChildProcesses.claim(dir);
                Path template = DatadirTemplate.ensure(bin, parent);
                List<Integer> ports = FreePorts.allocate(replicas + 1);
                List<MariaDbNode> all = new ArrayList<>();
                for (int i = 0; i <= replicas; i++) {
                    String name = namePrefix + (i + 1);
                    all.add(new MariaDbNode(name, i + 1, i > 0, dir.resolve(name), ports.get(i), bin,
                            extraCnfLines));
                }
                for (MariaDbNode node : all) {
                    node.prepare(template);
                }
                topology = new MariaDbTopology(dir, bin, all.get(0), all.subList(1, all.size()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare topology in " + dir, e);
            }
            try {
                parallel(topology.nodes, node -> {
                    node.start();
                    Bootstrap.accounts(node);
                });
                parallel(topology.replicas, replica -> Bootstrap.replicateFrom(replica, topology.primary));
                topology.waitForReplication(Duration.ofSeconds(60));
                return topology;
            } catch (RuntimeException e) {
                try {
                    topology.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        static void parallel(List<MariaDbNode> nodes, NodeTask task) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (MariaDbNode node : nodes) {
                futures.add(CompletableFuture.runAsync(() -> {
                    try {
                        task.run(node);
                    } catch (SQLException e) {
                        throw new IllegalStateException(node.name() + ": " + e.getMessage(), e);
                    }
                }, command -> new Thread(command, "topology-" + node.name()).start()));
            }
            RuntimeException failure = null;
            for (CompletableFuture<Void> future : futures) {
                try {
                    future.join();
                } catch (CompletionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** The SQL that turns a fresh node into a member of the topology. */
    static final class Bootstrap {
        private Bootstrap() {
        }

        static void accounts(MariaDbNode node) throws SQLException {
            try (Connection c = node.rootConnection(); Statement s = c.createStatement()) {
                s.execute("SET SESSION sql_log_bin=0");
                List<String> anonymousAndRoot = new ArrayList<>();
                try (ResultSet rs = s.executeQuery(
                        "SELECT User, Host FROM mysql.user WHERE User IN ('', 'root')")) {
                    while (rs.next()) {
                        anonymousAndRoot.add(rs.getString(1) + "\u0000" + rs.getString(2));
                    }
                }
                for (String entry : anonymousAndRoot) {
                    String[] parts = entry.split("\u0000", -1);
                    String account = "'" + parts[0] + "'@'" + parts[1] + "'";
                    if (parts[0].isEmpty()) {
                        s.execute("DROP USER IF EXISTS " + account);
                    } else if (parts[1].equals("localhost")) {
                        s.execute("ALTER USER " + account + " IDENTIFIED BY '" + ROOT_PASSWORD + "'");
                    } else {
                        s.execute("DROP USER IF EXISTS " + account); // root over TCP: not wanted
                    }
                }
                s.execute("CREATE DATABASE IF NOT EXISTS sbtest");
                s.execute("CREATE DATABASE IF NOT EXISTS test");
                s.execute("CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY '" + REPLICATION_PASSWORD + "'");
                s.execute("GRANT REPLICATION SLAVE, SLAVE MONITOR, BINLOG MONITOR ON *.* TO 'repl'@'%'");
                for (String host : List.of("%", "localhost")) {
                    String maxuser = "'" + MONITOR_USER + "'@'" + host + "'";
                    s.execute("CREATE USER IF NOT EXISTS " + maxuser + " IDENTIFIED BY '" + MONITOR_PASSWORD + "'");
                    s.execute("GRANT SELECT ON mysql.* TO " + maxuser);
                    s.execute("GRANT " + PROXY_GRANTS + " ON *.* TO " + maxuser);
                    String app = "'" + APP_USER + "'@'" + host + "'";
                    s.execute("CREATE USER IF NOT EXISTS " + app + " IDENTIFIED BY '" + APP_PASSWORD + "'");
                    s.execute("GRANT ALL ON sbtest.* TO " + app);
                    s.execute("GRANT ALL ON test.* TO " + app);
                }
                s.execute("FLUSH PRIVILEGES");
            }
            node.rootPasswordSet(ROOT_PASSWORD);
        }

        static void replicateFrom(MariaDbNode replica, MariaDbNode primary) throws SQLException {
            try (Connection c = replica.rootConnection(); Statement s = c.createStatement()) {
                s.execute("CHANGE MASTER TO MASTER_HOST='" + primary.host() + "', MASTER_PORT=" + primary.port()
                        + ", MASTER_USER='" + REPLICATION_USER + "', MASTER_PASSWORD='" + REPLICATION_PASSWORD
                        + "', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1");
                s.execute("START SLAVE");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (true) {
                    try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                        rs.next();
                        if ("Yes".equals(rs.getString("Slave_IO_Running"))
                                && "Yes".equals(rs.getString("Slave_SQL_Running"))) {
                            return;
                        }
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException(replica.name() + " does not replicate: io="
                                    + rs.getString("Slave_IO_Running") + " sql=" + rs.getString("Slave_SQL_Running")
                                    + " io_error=" + rs.getString("Last_IO_Error")
                                    + " sql_error=" + rs.getString("Last_SQL_Error"));
                        }
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
            }
        }
    }
}
