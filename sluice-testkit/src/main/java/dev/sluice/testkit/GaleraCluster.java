package dev.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real MariaDB Galera cluster (the {@code galera-4} provider, SST by {@code rsync}) of N nodes on free
 * loopback ports — the Java twin of lab/galera.sh, with the accounts of {@link MariaDbTopology} ({@code maxuser},
 * {@code app}, root over the socket).
 *
 * <p>Each node has four ports of its own: SQL, group communication (gmcast), IST and SST. The first node
 * bootstraps the cluster ({@code --wsrep-new-cluster}) and gets the accounts; the others join it in parallel
 * and receive everything by rsync SST. Started as root, the nodes run as the OS user {@code mysql} (rsync's
 * daemon drops root to {@code nobody}, which could not write the joiner's datadir), so the cluster lives under
 * the temporary directory, which that user can reach, not under {@code target/}.
 *
 * <p>{@link #start(MariaDbNode)} brings a stopped or killed node back: after a crash it first runs
 * {@code mariadbd --wsrep-recover} so that the node knows its position and rejoins by IST instead of a full
 * SST. {@link #isolate} cuts a node off the group ({@code gmcast.isolate}): it becomes a non-primary component
 * of one. Processes are signalled only through their own handles ({@link MariaDbNode}).
 *
 * <p>Lifecycle calls are meant for one test thread at a time; accessors may be called from any thread.
 */
public final class GaleraCluster implements AutoCloseable {

    /** Where Debian's {@code galera-4} package puts the provider. */
    public static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");

    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(150);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Pattern RECOVERED = Pattern.compile("WSREP: Recovered position: ?(\\S+:-?\\d+)");

    private final Path dir;
    private final MariaDbBinaries binaries;
    private final List<MariaDbNode> nodes;
    private volatile boolean closed;

    private GaleraCluster(Path dir, MariaDbBinaries binaries, List<MariaDbNode> nodes) {
        this.dir = dir;
        this.binaries = binaries;
        this.nodes = List.copyOf(nodes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every node, in order: the bootstrap node first. */
    public List<MariaDbNode> nodes() {
        return nodes;
    }

    public MariaDbNode node(int index) {
        return nodes.get(index);
    }

    public Path directory() {
        return dir;
    }

    /** A global status variable of a running node, e.g. {@code wsrep_local_state_comment}; empty if absent. */
    public static String status(MariaDbNode node, String variable) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rs.next() ? rs.getString(2) : "";
        }
    }

    /** Waits until {@code node} is Synced ({@code wsrep_local_state=4}) in a primary component. */
    public static void awaitSynced(MariaDbNode node, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = status(node, "wsrep_local_state_comment") + "/" + status(node, "wsrep_cluster_status");
                if ("4".equals(status(node, "wsrep_local_state"))
                        && "Primary".equals(status(node, "wsrep_cluster_status"))) {
                    return;
                }
            } catch (SQLException e) {
                last = e.getMessage();
            }
            MariaDbNode.sleep(100);
        }
        throw new IllegalStateException(node.name() + " is not Synced after " + timeout + " (last: " + last + "); "
                + node.errorLog());
    }

    /** Waits until every running node sees a primary component of {@code size} members. */
    public void awaitClusterSize(int size, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                StringBuilder seen = new StringBuilder();
                boolean all = true;
                for (MariaDbNode n : nodes) {
                    if (n.isRunning()) {
                        String s = status(n, "wsrep_cluster_size");
                        seen.append(n.name()).append('=').append(s).append(' ');
                        all &= String.valueOf(size).equals(s);
                    }
                }
                last = seen.toString();
                if (all) {
                    return;
                }
            } catch (SQLException e) {
                last = e.getMessage();
            }
            MariaDbNode.sleep(100);
        }
        throw new IllegalStateException("cluster size is not " + size + " after " + timeout + ": " + last);
    }

    /**
     * Starts a stopped or killed node into the running cluster and waits until it is Synced. A node that
     * crashed ({@code seqno: -1} in {@code grastate.dat}) first recovers its position from InnoDB, so that
     * it rejoins by IST while the donors' gcache still holds the write sets it missed.
     */
    public void start(MariaDbNode node) {
        if (node.isRunning()) {
            return;
        }
        List<String> arguments = new ArrayList<>();
        recoverPosition(node).ifPresent(position -> arguments.add("--wsrep_start_position=" + position));
        node.start(arguments);
        awaitSynced(node, SYNC_TIMEOUT);
    }

    /** The position {@code mariadbd --wsrep-recover} finds after a crash; empty after a clean stop. */
    private java.util.Optional<String> recoverPosition(MariaDbNode node) {
        Path grastate = node.directory().resolve("data").resolve("grastate.dat");
        try {
            if (!Files.exists(grastate) || !Pattern.compile("(?m)^seqno:\\s*-1\\s*$")
                    .matcher(Files.readString(grastate)).find()) {
                return java.util.Optional.empty();
            }
            Path log = node.directory().resolve("recover.log");
            Files.deleteIfExists(log);
            Process recover = new ProcessBuilder(binaries.mariadbd().toString(),
                    "--defaults-file=" + node.directory().resolve("my.cnf"), "--wsrep-recover",
                    "--log-error=" + log).redirectErrorStream(true)
                    .redirectOutput(node.directory().resolve("recover.out").toFile()).start();
            ChildProcesses.register(recover);
            try {
                if (!recover.waitFor(90, TimeUnit.SECONDS)) {
                    recover.destroyForcibly();
                    throw new IllegalStateException(node.name() + ": mariadbd --wsrep-recover did not end in 90 s");
                }
            } finally {
                ChildProcesses.unregister(recover);
            }
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher m = RECOVERED.matcher(text);
            String position = null;
            while (m.find()) {
                position = m.group(1);
            }
            return java.util.Optional.ofNullable(position);
        } catch (IOException e) {
            throw new UncheckedIOException(node.name() + ": cannot recover the wsrep position", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Cuts {@code node} off the group ({@code gmcast.isolate=1}: it drops every group connection and becomes a
     * non-primary component of one) or lets it back in ({@code gmcast.isolate=0}).
     */
    public static void isolate(MariaDbNode node, boolean isolated) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL wsrep_provider_options='gmcast.isolate=" + (isolated ? 1 : 0) + "'");
        }
    }

    /**
     * Undoes what tests do to the cluster: stopped nodes are started, isolation, desync, query rejection and
     * donor lists are reset, and every node is Synced in one primary component again.
     */
    public void heal() {
        for (MariaDbNode n : nodes) {
            if (n.isRunning()) {
                try (Connection c = n.rootConnection(); Statement s = c.createStatement()) {
                    s.execute("SET GLOBAL wsrep_provider_options='gmcast.isolate=0'");
                    s.execute("SET GLOBAL wsrep_desync=OFF");
                    s.execute("SET GLOBAL wsrep_reject_queries=NONE");
                    s.execute("SET GLOBAL wsrep_sst_donor=''");
                } catch (SQLException e) {
                    throw new IllegalStateException("heal: " + n.name() + ": " + e.getMessage(), e);
                }
            }
        }
        MariaDbTopology.Builder.parallel(nodes, this::start);
        awaitClusterSize(nodes.size(), SYNC_TIMEOUT);
        for (MariaDbNode n : nodes) {
            awaitSynced(n, SYNC_TIMEOUT);
        }
    }

    /** Kills every node (SIGKILL by PID: the data is deleted right after) and deletes the directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MariaDbNode n : nodes) {
            n.kill9();
        }
        try {
            MariaDbBinaries.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "GaleraCluster" + nodes;
    }

    /** Collects the shape of a cluster; {@link #start()} builds and starts it. */
    public static final class Builder {
        private int size = 3;
        private Path baseDirectory = Path.of(System.getProperty("java.io.tmpdir"), "sluice-galera");
        private String namePrefix = "g";
        private final List<String> extraCnfLines = new ArrayList<>();

        private Builder() {
        }

        public Builder nodes(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("nodes: " + count + " (expected: >= 1)");
            }
            this.size = count;
            return this;
        }

        /** The parent of the cluster's directory; the OS user {@code mysql} must be able to reach it. */
        public Builder baseDirectory(Path directory) {
            this.baseDirectory = directory;
            return this;
        }

        public Builder namePrefix(String prefix) {
            this.namePrefix = prefix;
            return this;
        }

        /** A line appended to every node's {@code [mysqld]} section. */
        public Builder cnfLine(String line) {
            this.extraCnfLines.add(line);
            return this;
        }

        /**
         * Creates the directories, bootstraps the first node, creates the accounts on it, lets the others join
         * (SST) and waits until all are Synced. On failure everything started so far is killed.
         */
        public GaleraCluster start() {
            MariaDbBinaries bin = MariaDbBinaries.locate();
            requireGalera();
            Path parent = baseDirectory.toAbsolutePath().normalize();
            ChildProcesses.sweepOrphans(parent);
            int sequence = SEQUENCE.incrementAndGet();
            Path dir = parent.resolve(namePrefix + "-" + ProcessHandle.current().pid() + "-" + sequence);
            boolean root = "root".equals(System.getProperty("user.name"));
            String osUser = root ? "mysql" : System.getProperty("user.name");
            GaleraCluster cluster;
            try {
                MariaDbBinaries.deleteTree(dir);
                Files.createDirectories(dir);
                ChildProcesses.claim(dir);
                Path template = DatadirTemplate.ensure(bin, parent);
                List<Integer> ports = FreePorts.allocate(4 * size);
                StringBuilder peers = new StringBuilder();
                for (int i = 0; i < size; i++) {
                    peers.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports.get(4 * i + 1));
                }
                String clusterName = "sluice-" + ProcessHandle.current().pid() + "-" + sequence;
                List<MariaDbNode> all = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    String name = namePrefix + (i + 1);
                    Path nodeDir = dir.resolve(name).toAbsolutePath();
                    int gcomm = ports.get(4 * i + 1);
                    int ist = ports.get(4 * i + 2);
                    int sst = ports.get(4 * i + 3);
                    int serverId = i + 1;
                    all.add(new MariaDbNode(name, serverId, false, nodeDir, ports.get(4 * i), bin,
                            port -> cnf(bin, nodeDir, osUser, port, serverId, name, clusterName, peers.toString(),
                                    gcomm, ist, sst, extraCnfLines)));
                }
                for (MariaDbNode node : all) {
                    node.prepare(template);
                }
                if (root) {
                    chown(dir, osUser);
                }
                cluster = new GaleraCluster(dir, bin, all);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare a Galera cluster in " + dir, e);
            }
            try {
                MariaDbNode first = cluster.nodes.get(0);
                first.start(List.of("--wsrep-new-cluster"));
                awaitSynced(first, SYNC_TIMEOUT);
                MariaDbTopology.Bootstrap.accounts(first); // before anyone joins: the SST carries them
                List<MariaDbNode> joiners = cluster.nodes.subList(1, size);
                for (MariaDbNode joiner : joiners) {
                    joiner.rootPasswordSet(MariaDbTopology.ROOT_PASSWORD);
                }
                MariaDbTopology.Builder.parallel(joiners, cluster::start);
                cluster.awaitClusterSize(size, SYNC_TIMEOUT);
                return cluster;
            } catch (SQLException | RuntimeException e) {
                try {
                    cluster.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }

        private static void requireGalera() {
            if (!Files.isReadable(PROVIDER)) {
                throw new IllegalStateException("no Galera provider at " + PROVIDER
                        + ": install the Debian packages galera-4 and rsync (bin/test does)");
            }
        }

        private static void chown(Path dir, String user) throws IOException {
            try {
                Process p = new ProcessBuilder("chown", "-R", user + ":", dir.toString()).redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("chown -R " + user + " " + dir + " failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        private static String cnf(MariaDbBinaries bin, Path dir, String osUser, int port, int serverId, String name,
                                  String clusterName, String peers, int gcomm, int ist, int sst,
                                  List<String> extraLines) {
            StringBuilder cnf = MyCnf.common(bin, dir.resolve("data"), dir.resolve("tmp"), osUser);
            for (String line : List.of("bind-address=127.0.0.1", "port=" + port,
                    "socket=" + MariaDbNode.socketPath(dir), "pid-file=" + dir.resolve("mysqld.pid"),
                    "log-error=" + dir.resolve("error.log"), "max_connections=500", "server_id=" + serverId,
                    "binlog_format=ROW", "innodb_autoinc_lock_mode=2", "wsrep_on=ON", "wsrep_provider=" + PROVIDER,
                    "wsrep_cluster_name=" + clusterName, "wsrep_node_name=" + name,
                    "wsrep_cluster_address=gcomm://" + peers, "wsrep_node_address=127.0.0.1:" + gcomm,
                    "wsrep_node_incoming_address=127.0.0.1:" + port, "wsrep_sst_receive_address=127.0.0.1:" + sst,
                    "wsrep_provider_options=\"gmcast.listen_addr=tcp://127.0.0.1:" + gcomm + ";ist.recv_addr=127.0.0.1:"
                            + ist + ";gcache.size=32M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT10S\"",
                    "wsrep_sst_method=rsync", "wsrep_slave_threads=2")) {
                MyCnf.line(cnf, line);
            }
            for (String extra : extraLines) {
                MyCnf.line(cnf, extra);
            }
            return cnf.toString();
        }
    }
}
