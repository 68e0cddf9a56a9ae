package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test 2 of the HA issue: {@code switchover} while sysbench {@code oltp_read_write} runs through
 * readwritesplit with transaction_replay. sysbench stops a thread at its first error but InnoDB deadlocks
 * (1213), which it retries: these happen with this load straight on MariaDB too (about one a second), so
 * the test reads sysbench's debug output and accepts only 1213 among the ignored errors; a clean exit, no
 * other error and "reconnects: 0" mean no client saw an error of the switchover. No transaction is lost or
 * applied twice: every transaction deletes one row and inserts it again, so each table still has exactly
 * {@value #TABLE_SIZE} rows, and all three servers hold the same data (CHECKSUM TABLE). Afterwards the old
 * primary replicates from the new one; then the roles are switched back, under load again.
 *
 * <p>What makes it pass is the drain of mariadbmon's switchover (docs/mariadbmon.md): the old primary stays the
 * Master, published read-only, until the transactions open on it have committed, while new ones wait in
 * readwritesplit (delayed_retry) for the new primary; without it the transactions cut by read_only were replayed
 * on the new primary after the waiting ones had changed the rows they had read, and failed their checksum. The
 * topology is private to this class.
 */
class FaultSwitchoverUnderLoadIT {
    private static final int LOAD_SECONDS = 10;
    private static final int TABLE_SIZE = 2000;
    /** ER_LOCK_DEADLOCK: InnoDB's own, sysbench retries the transaction. */
    private static final String DEADLOCK = "1213";

    private static MariaDbTopology topology;
    private static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        topology = MariaDbTopology.builder().replicas(2).namePrefix("f2").start();
        String config = SluiceFixture.readWriteSplit(topology, "transaction_replay=true\n")
                .replace("monitor_interval=200ms", "monitor_interval=1000ms\nauto_failover=false\nauto_rejoin=true"
                        + "\nreplication_user=" + MariaDbTopology.REPLICATION_USER
                        + "\nreplication_password=" + MariaDbTopology.REPLICATION_PASSWORD);
        sluice = SluiceFixture.start(topology, config);
        MariaDbNode p = topology.primary();
        sysbench(p.port(), "prepare", 0);
        topology.waitForReplication(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void switchoverAndBackUnderLoadWithoutAClientError() throws Exception {
        MariaDbNode first = topology.primary();
        MariaDbNode second = topology.replicas().get(0);
        switchUnderLoad("db2", "db1", second, first);
        switchUnderLoad("db1", "db2", first, second);
    }

    /**
     * The drain, step by step: while the old primary is drained, a transaction open on it goes on and commits
     * there (it is not replayed), an autocommit write of another client waits and then runs on the new primary,
     * and a transaction idle past the drain limit is cut by read_only and replayed on the new primary, so its
     * client sees no error either.
     */
    @Test
    void theDrainLetsOpenTransactionsCommitAndHoldsNewWrites() throws Exception {
        int oldIdx = primaryIndex();
        int newIdx = oldIdx == 0 ? 1 : 0;
        String oldName = "db" + (oldIdx + 1);
        String newName = "db" + (newIdx + 1);
        long oldId = topology.nodes().get(oldIdx).serverId();
        long newId = topology.nodes().get(newIdx).serverId();
        String options = "socketTimeout=30000&connectTimeout=5000";
        try (Connection c = sluice.connect("RW-Listener", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD,
                "test", options); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS drain");
            s.execute("CREATE TABLE drain (id INT PRIMARY KEY, v INT)");
        }
        long replayedBefore = diag("replayed_transactions");
        try (Connection open = sluice.connect("RW-Listener", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD,
                "test", options);
             Connection idle = sluice.connect("RW-Listener", MariaDbTopology.APP_USER,
                     MariaDbTopology.APP_PASSWORD, "test", options);
             Connection late = sluice.connect("RW-Listener", MariaDbTopology.APP_USER,
                     MariaDbTopology.APP_PASSWORD, "test", options)) {
            open.setAutoCommit(false);
            idle.setAutoCommit(false);
            Statement so = open.createStatement();
            Statement si = idle.createStatement();
            so.executeUpdate("INSERT INTO drain VALUES (1, 1)");
            si.executeUpdate("INSERT INTO drain VALUES (4, 4)"); // then idle past the drain limit

            CompletableFuture<CommandResult> switchover = CompletableFuture.supplyAsync(() -> sluice.server.monitors()
                    .get("Cluster").monitor().command("switchover", List.of(newName, oldName)));
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> {
                var st = sluice.server.server(oldName).status();
                return st.isMaster() && st.readOnly();
            })).as("%s published as a drained Master", oldName).isTrue();
            CompletableFuture<Long> newWrite = CompletableFuture.supplyAsync(() -> {
                try (Statement sl = late.createStatement()) {
                    sl.executeUpdate("INSERT INTO drain VALUES (2, 2)");
                    late.setAutoCommit(false);
                    long id = serverId(sl); // inside a transaction: from the primary
                    late.commit();
                    return id;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(newWrite).as("a new write waits while the old primary is drained").isNotDone();

            so.executeUpdate("INSERT INTO drain VALUES (3, 3)");
            assertThat(serverId(so)).as("the open transaction goes on on the old primary").isEqualTo(oldId);
            open.commit();

            assertThat(newWrite.get(30, TimeUnit.SECONDS)).as("the waiting write ran on the new primary")
                    .isEqualTo(newId);
            CommandResult result = switchover.get(60, TimeUnit.SECONDS);
            assertThat(result.ok()).as(result.message()).isTrue();

            // the idle transaction was cut by read_only: its next statement gets 1290, it is replayed on newIdx
            si.executeUpdate("INSERT INTO drain VALUES (5, 5)");
            assertThat(serverId(si)).isEqualTo(newId);
            idle.commit();
        }
        assertThat(diag("replayed_transactions") - replayedBefore).as("only the idle transaction was replayed")
                .isEqualTo(1);
        try (Connection c = topology.nodes().get(newIdx).rootConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            try (ResultSet rs = s.executeQuery("SELECT GROUP_CONCAT(id ORDER BY id) FROM test.drain")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1,2,3,4,5");
            }
        }
        CommandResult back = sluice.server.monitors().get("Cluster").monitor()
                .command("switchover", List.of(oldName, newName));
        assertThat(back.ok()).as(back.message()).isTrue();
    }

    private static int primaryIndex() {
        for (int i = 0; i < topology.nodes().size(); i++) {
            if (sluice.server.server("db" + (i + 1)).status().isMaster()) {
                return i;
            }
        }
        throw new AssertionError("no primary");
    }

    private static long serverId(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long diag(String key) {
        Map<String, Object> d = sluice.server.service("RW").router().diagnostics();
        return (Long) d.get(key);
    }

    private void switchUnderLoad(String newName, String oldName, MariaDbNode newPrimary, MariaDbNode oldPrimary)
            throws Exception {
        int port = sluice.port("RW-Listener");
        CompletableFuture<String> load = CompletableFuture.supplyAsync(() -> {
            try {
                return sysbench(port, "run", LOAD_SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(LOAD_SECONDS * 1000L / 3);
        long started = System.nanoTime();
        CommandResult result = sluice.server.monitors().get("Cluster").monitor()
                .command("switchover", List.of(newName, oldName));
        double took = (System.nanoTime() - started) / 1e9;
        System.out.printf("FaultSwitchoverUnderLoadIT: switchover %s -> %s took %.2f s: %s%n", oldName, newName,
                took, result.message());
        String output = load.get(LOAD_SECONDS + 120, TimeUnit.SECONDS);

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(took).as("switchover seconds").isLessThan(10);
        assertThat(output).as(output).contains("transactions:");
        List<String> ignored = SysbenchOutput.ignoredErrorCodes(output);
        assertThat(ignored).as("errors sysbench ignored (only InnoDB deadlocks may be)").allMatch(DEADLOCK::equals);
        assertThat(SysbenchOutput.counter(output, "ignored errors")).as(output).isEqualTo(ignored.size());
        assertThat(SysbenchOutput.counter(output, "reconnects")).as(output).isZero();
        System.out.printf("FaultSwitchoverUnderLoadIT: %d transactions, %d InnoDB deadlocks retried by sysbench%n",
                SysbenchOutput.counter(output, "transactions"), ignored.size());
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(30), () -> SluiceFixture.replicatesFrom(oldPrimary, newPrimary)))
                .as("%s replicates from %s", oldPrimary.name(), newPrimary.name()).isTrue();
        for (String table : List.of("sbtest1", "sbtest2")) {
            assertThat(rowCount(newPrimary, table)).as("rows of %s on %s", table, newPrimary.name())
                    .isEqualTo(TABLE_SIZE);
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(30), () -> sameEverywhere(table)))
                    .as("CHECKSUM TABLE %s equal on every server", table).isTrue();
        }
    }

    /** The codes of the errors sysbench ignored, from its debug lines "Ignoring error 1213 …". */
    private static long rowCount(MariaDbNode node, String table) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM test." + table)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean sameEverywhere(String table) throws SQLException {
        List<MariaDbNode> nodes = new ArrayList<>();
        nodes.add(topology.primary());
        nodes.addAll(topology.replicas());
        Long first = null;
        for (MariaDbNode n : nodes) {
            try (Connection c = n.rootConnection(); Statement s = c.createStatement()) {
                s.setQueryTimeout(10);
                try (ResultSet rs = s.executeQuery("CHECKSUM TABLE test." + table)) {
                    rs.next();
                    long sum = rs.getLong(2);
                    if (first == null) {
                        first = sum;
                    } else if (first != sum) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static String sysbench(int port, String command, int seconds) throws IOException, InterruptedException {
        return SysbenchOutput.run(port, command, seconds, TABLE_SIZE);
    }
}
