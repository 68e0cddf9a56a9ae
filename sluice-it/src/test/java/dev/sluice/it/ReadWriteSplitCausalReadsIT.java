package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * causal_reads against replicas that apply every event 3 s late ({@code MASTER_DELAY=3}): a read right after
 * a write is stale on a replica unless Sluice makes it wait (or sends it to the primary). The delay is removed
 * again afterwards since the cluster is shared.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ReadWriteSplitCausalReadsIT {
    private static final int DELAY_SECONDS = 3;
    private static final AtomicInteger IDS = new AtomicInteger((int) (System.currentTimeMillis() % 1_000_000) * 100);
    static MariaDbTopology topology;
    SluiceFixture sluice;

    @BeforeEach
    void delayReplicas() throws Exception {
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS test.rws_causal (id INT PRIMARY KEY, v VARCHAR(20))");
        }
        topology.waitForReplication(java.time.Duration.ofSeconds(30));
        setDelay(DELAY_SECONDS);
    }

    @AfterEach
    void stopAndRestore() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        topology.heal();
        setDelay(0);
        topology.waitForReplication(java.time.Duration.ofSeconds(30));
    }

    private static void setDelay(int seconds) throws SQLException {
        for (MariaDbNode r : topology.replicas()) {
            try (Connection c = r.rootConnection(); Statement s = c.createStatement()) {
                s.execute("STOP SLAVE");
                s.execute("CHANGE MASTER TO MASTER_DELAY=" + seconds);
                s.execute("START SLAVE");
            }
        }
    }

    private SluiceFixture start(String serviceLines) throws Exception {
        sluice = SluiceFixture.start(topology, SluiceFixture.readWriteSplitWithHints(topology, serviceLines));
        return sluice;
    }

    private Connection connect(String options) throws Exception {
        Connection c = sluice.connect("RW-Listener", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD, "test",
                options);
        // the monitor must see the replicas as replicas again after CHANGE MASTER
        long deadline = System.nanoTime() + 15_000_000_000L;
        try (Statement st = c.createStatement()) {
            while (readOnce(st, -1)[1] == topology.primary().port()) {
                assertThat(System.nanoTime()).as("a replica serves reads").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        return c;
    }

    /** {count of rows with the id, port of the server that answered}. */
    private static int[] readOnce(Statement st, int id) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM test.rws_causal WHERE id = " + id
                + "), @@port")) {
            rs.next();
            return new int[] {rs.getInt(1), rs.getInt(2)};
        }
    }

    private static int insert(Statement st) throws SQLException {
        int id = IDS.incrementAndGet();
        assertThat(st.executeUpdate("INSERT INTO test.rws_causal VALUES (" + id + ", 'x')")).isEqualTo(1);
        return id;
    }

    private boolean isReplica(int port) {
        return topology.replicas().stream().anyMatch(r -> r.port() == port);
    }

    private long diag(String key) {
        Map<String, Object> d = sluice.server.service("RW").router().diagnostics();
        return (Long) d.get(key);
    }

    @Test
    void withoutCausalReadsAReplicaMissesTheWrite() throws Exception {
        start("causal_reads=none");
        try (Connection c = connect(""); Statement st = c.createStatement()) {
            int id = insert(st);
            int[] r = readOnce(st, id);
            assertThat(isReplica(r[1])).as("read on a replica, port " + r[1]).isTrue();
            assertThat(r[0]).as("the replica lags: the row is not there yet").isZero();
        }
    }

    @Test
    void localCausalReadWaitsOnTheReplicaAndSeesTheWrite() throws Exception {
        start("causal_reads=local\ncausal_reads_timeout=20s");
        try (Connection c = connect(""); Statement st = c.createStatement()) {
            int id = insert(st);
            long t0 = System.nanoTime();
            int[] r = readOnce(st, id);
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(isReplica(r[1])).as("read on a replica, port " + r[1]).isTrue();
            assertThat(r[0]).as("the session sees its write").isEqualTo(1);
            assertThat(waitedMs).as("the read waited for the replica").isGreaterThan(1000);
            // the replica is known to be caught up: the next read does not wait again
            long t1 = System.nanoTime();
            assertThat(readOnce(st, id)[0]).isEqualTo(1);
            assertThat(diag("causal_waits")).isGreaterThanOrEqualTo(1);
            assertThat(diag("causal_timeouts")).isZero();
            assertThat((System.nanoTime() - t1) / 1_000_000).isLessThan(DELAY_SECONDS * 1000L);
        }
    }

    @Test
    void localCausalReadWithBinaryPreparedStatements() throws Exception {
        start("causal_reads=local\ncausal_reads_timeout=20s");
        try (Connection c = connect("useServerPrepStmts=true");
             PreparedStatement ins = c.prepareStatement("INSERT INTO test.rws_causal VALUES (?, 'ps')");
             PreparedStatement sel = c.prepareStatement(
                     "SELECT (SELECT COUNT(*) FROM test.rws_causal WHERE id = ?), @@port")) {
            int id = IDS.incrementAndGet();
            ins.setInt(1, id);
            assertThat(ins.executeUpdate()).isEqualTo(1);
            sel.setInt(1, id);
            try (ResultSet rs = sel.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(isReplica(rs.getInt(2))).as("executed on a replica, port " + rs.getInt(2)).isTrue();
            }
        }
    }

    /**
     * The write's GTID comes in its OK packet (Sluice has every connection of a client that negotiated
     * CLIENT_SESSION_TRACK, as MariaDB Connector/J does, track {@code last_gtid}): no {@code SELECT @@last_gtid}
     * reaches the primary, as its general log shows, and the read still waits for exactly that GTID.
     */
    @Test
    void localCausalReadsTakeTheGtidFromTheWritesOkPacket() throws Exception {
        start("causal_reads=local\ncausal_reads_timeout=20s");
        try (Connection root = topology.primary().rootConnection(); Statement log = root.createStatement()) {
            String output;
            try (ResultSet rs = log.executeQuery("SELECT @@global.log_output")) {
                rs.next();
                output = rs.getString(1);
            }
            log.execute("SET GLOBAL log_output = 'TABLE'");
            log.execute("TRUNCATE mysql.general_log");
            log.execute("SET GLOBAL general_log = ON");
            try (Connection c = connect("socketTimeout=30000"); Statement st = c.createStatement()) {
                for (int i = 0; i < 2; i++) {
                    int id = insert(st);
                    int[] r = readOnce(st, id);
                    assertThat(isReplica(r[1])).as("read on a replica, port " + r[1]).isTrue();
                    assertThat(r[0]).as("the session sees its write").isEqualTo(1);
                }
            } finally {
                log.execute("SET GLOBAL general_log = OFF");
                log.execute("SET GLOBAL log_output = '" + output + "'");
            }
            assertThat(count(log, "argument LIKE 'INSERT INTO test.rws_causal%'")).as("the log works").isEqualTo(2);
            assertThat(count(log, "argument LIKE '%last_gtid%' AND argument NOT LIKE '%session_track%'")).isZero();
            log.execute("TRUNCATE mysql.general_log");
        }
        assertThat(diag("causal_waits")).isGreaterThanOrEqualTo(2);
        assertThat(diag("causal_gtid_queries")).isZero();
    }

    private static long count(Statement st, String where) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM mysql.general_log WHERE command_type = 'Query' AND "
                + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * MySQL Connector/J does not ask for CLIENT_SESSION_TRACK (trackSessionState=false): its backend connections
     * negotiate it anyway and track the session (Sluice strips the data from the OKs the client gets), so the
     * write's GTID comes with its OK and is never queried, and the read on a lagging replica still sees the write.
     */
    @Test
    void aClientWithoutSessionTrackingNeedsNoGtidQuery() throws Exception {
        start("causal_reads=local\ncausal_reads_timeout=20s");
        try (Connection c = sluice.connect(Client.MYSQL_TEXT, "RW-Listener", "test", "socketTimeout=30000");
             Statement st = c.createStatement()) {
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (readOnce(st, -1)[1] == topology.primary().port()) {
                assertThat(System.nanoTime()).as("a replica serves reads").isLessThan(deadline);
                Thread.sleep(200);
            }
            for (int i = 0; i < 2; i++) {
                int id = insert(st);
                int[] r = readOnce(st, id);
                assertThat(isReplica(r[1])).as("read on a replica, port " + r[1]).isTrue();
                assertThat(r[0]).as("the session sees its write").isEqualTo(1);
            }
            try (ResultSet rs = st.executeQuery("SELECT @@session_track_transaction_info")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("CHARACTERISTICS");
            }
        }
        assertThat(diag("causal_gtid_queries")).as("no SELECT @@last_gtid").isZero();
        assertThat(diag("causal_waits")).as("the replica waited for the GTID of the OK").isGreaterThanOrEqualTo(2);
    }

    /**
     * The {@code max_replication_lag} hint (MaxScale's hintfilter syntax, here without causal_reads): replicas
     * whose lag, as the monitor reports it, is that much or more do not serve the hinted read, so the primary
     * does; a hint above their lag, or none, leaves them usable. Also for the hint in a binary prepared statement.
     */
    @Test
    void aMaxReplicationLagHintKeepsTheReadOffLaggingReplicas() throws Exception {
        setDelay(60);
        start("");
        try {
            maxReplicationLagHints();
        } finally {
            setDelay(0); // before heal() waits for replication
        }
    }

    private void maxReplicationLagHints() throws Exception {
        try (Connection c = connect("socketTimeout=30000&useServerPrepStmts=true"); Statement st = c.createStatement()) {
            insert(st); // the replicas apply it 60 s late: their lag grows meanwhile
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (lag("db2") < 3 || lag("db3") < 3) {
                assertThat(System.nanoTime()).as("the monitor sees the replicas lag").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(port(st, "SELECT @@port -- maxscale max_replication_lag=2\n"))
                    .isEqualTo(topology.primary().port());
            assertThat(isReplica(port(st, "/* maxscale max_replication_lag=1000 */ SELECT @@port"))).isTrue();
            assertThat(isReplica(port(st, "SELECT @@port"))).isTrue();
            try (PreparedStatement ps = c.prepareStatement("SELECT @@port, ? -- maxscale max_replication_lag=2\n")) {
                ps.setInt(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(topology.primary().port());
                }
            }
        }
    }

    private long lag(String server) {
        return sluice.server.server(server).status().replicationLag();
    }

    private static int port(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aCausalReadThatTimesOutRunsOnThePrimary() throws Exception {
        start("causal_reads=local\ncausal_reads_timeout=500ms");
        try (Connection c = connect(""); Statement st = c.createStatement()) {
            int id = insert(st);
            int[] r = readOnce(st, id);
            assertThat(r[0]).isEqualTo(1);
            assertThat(r[1]).isEqualTo(topology.primary().port());
            assertThat(diag("causal_timeouts")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void globalCausalReadSeesAnotherSessionsWrite() throws Exception {
        start("causal_reads=global\ncausal_reads_timeout=20s");
        try (Connection writer = connect(""); Connection reader = connect("");
             Statement w = writer.createStatement(); Statement rd = reader.createStatement()) {
            int id = insert(w);
            int[] r = readOnce(rd, id);
            assertThat(r[0]).isEqualTo(1);
            assertThat(isReplica(r[1])).as("read on a replica, port " + r[1]).isTrue();
        }
    }

    @Test
    void universalCausalReadSeesAWriteMadeDirectlyOnThePrimary() throws Exception {
        start("causal_reads=universal\ncausal_reads_timeout=20s");
        try (Connection reader = connect(""); Statement rd = reader.createStatement();
             Connection direct = topology.primary().rootConnection(); Statement w = direct.createStatement()) {
            int id = insert(w);
            int[] r = readOnce(rd, id);
            assertThat(r[0]).isEqualTo(1);
            assertThat(isReplica(r[1])).as("read on a replica, port " + r[1]).isTrue();
        }
    }

    @Test
    void fastCausalReadUsesThePrimaryUntilAReplicaCaughtUp() throws Exception {
        start("causal_reads=fast");
        try (Connection c = connect(""); Statement st = c.createStatement()) {
            int id = insert(st);
            expectPrimaryThenReplica(st, id);
        }
    }

    @Test
    void fastGlobalCausalReadSeesAnotherSessionsWrite() throws Exception {
        start("causal_reads=fast_global");
        try (Connection writer = connect(""); Connection reader = connect("");
             Statement w = writer.createStatement(); Statement rd = reader.createStatement()) {
            int id = insert(w);
            expectPrimaryThenReplica(rd, id);
        }
    }

    @Test
    void fastUniversalCausalReadSeesAWriteMadeDirectlyOnThePrimary() throws Exception {
        start("causal_reads=fast_universal");
        try (Connection reader = connect(""); Statement rd = reader.createStatement();
             Connection direct = topology.primary().rootConnection(); Statement w = direct.createStatement()) {
            int id = insert(w);
            expectPrimaryThenReplica(rd, id);
        }
    }

    /** The replica running MASTER_GTID_WAIT, polled from the replicas' process lists, or null. */
    private static MariaDbNode waitingReplica() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (MariaDbNode r : topology.replicas()) {
                try (Connection rc = r.rootConnection(); Statement s = rc.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                             + "WHERE INFO LIKE 'SELECT MASTER_GTID_WAIT%'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return r;
                    }
                } catch (SQLException e) {
                    // down: try the other
                }
            }
            Thread.sleep(50);
        }
        return null;
    }

    @Test
    void aReplicaKilledDuringTheWaitSendsTheReadToThePrimary() throws Exception {
        start("causal_reads=local\ncausal_reads_timeout=20s");
        try (Connection c = connect(""); Statement st = c.createStatement()) {
            int id = insert(st);
            CompletableFuture<MariaDbNode> killer = CompletableFuture.supplyAsync(() -> {
                try {
                    MariaDbNode r = waitingReplica();
                    if (r != null) {
                        r.kill9();
                    }
                    return r;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            });
            int[] r = readOnce(st, id);
            assertThat(killer.get(15, TimeUnit.SECONDS)).as("a replica was waiting").isNotNull();
            assertThat(r).containsExactly(1, topology.primary().port());
        }
    }

    @Test
    void aClientGoneDuringTheWaitLeavesNothingBehind() throws Exception {
        start("causal_reads=local\ncausal_reads_timeout=20s");
        Connection c = connect("");
        Statement st = c.createStatement();
        int id = insert(st);
        CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
            try {
                readOnce(st, id);
            } catch (SQLException expected) {
                // the connection is aborted under it
            }
        });
        assertThat(waitingReplica()).as("a replica is waiting").isNotNull();
        c.abort(Executors.newSingleThreadExecutor());
        read.get(15, TimeUnit.SECONDS);
        // the session is gone on Sluice's side; LeakCheck fails the test if the held request leaked
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (diagSessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(diagSessions()).isZero();
    }

    private long diagSessions() {
        Map<String, Object> d = sluice.server.service("RW").router().diagnostics();
        return ((Map<?, ?>) d.get("server_query_statistics")).values().stream()
                .mapToLong(m -> ((Number) ((Map<?, ?>) m).get("connections")).longValue()).sum();
    }

    /** The read goes to the primary while the replicas lag, to a replica once one has the write. */
    private void expectPrimaryThenReplica(Statement st, int id) throws Exception {
        int[] r = readOnce(st, id);
        assertThat(r).containsExactly(1, topology.primary().port());
        long deadline = System.nanoTime() + 15_000_000_000L;
        do {
            Thread.sleep(300);
            r = readOnce(st, id);
            assertThat(r[0]).isEqualTo(1);
        } while (!isReplica(r[1]) && System.nanoTime() < deadline);
        assertThat(isReplica(r[1])).as("a caught-up replica serves the read").isTrue();
    }
}
