package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * readwritesplit transaction_replay against a real primary that is restarted (or killed) in the middle of a
 * client's transaction: the transaction is re-run on the primary once it is back, its results are compared with
 * what the client saw, and the client carries on (or gets a clear error when the results differ, or when its
 * COMMIT was interrupted). The topology is healed after each test.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ReadWriteSplitReplayIT {
    static MariaDbTopology topology;
    SluiceFixture sluice;

    @AfterEach
    void stopAndHeal() {
        if (sluice != null) {
            sluice.close();
        }
        topology.heal();
    }

    private void start(String serviceLines) throws Exception {
        sluice = SluiceFixture.start(topology, SluiceFixture.readWriteSplit(topology, serviceLines));
    }

    private long diag(String key) {
        Map<String, Object> d = sluice.server.service("RW").router().diagnostics();
        return (Long) d.get(key);
    }

    /** A fresh table on the primary (directly), replicated before the test goes on. */
    private static void table(String name) throws SQLException {
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS test." + name);
            s.execute("CREATE TABLE test." + name + " (id INT PRIMARY KEY, v VARCHAR(20))");
        }
    }

    private static List<String> rows(String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v FROM test." + table + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "=" + rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    void aTransactionInterruptedByAPrimaryRestartIsReplayedAndCommitsOnce() throws Exception {
        table("replay_restart");
        start("transaction_replay=true");
        MariaDbNode primary = topology.primary();
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("SET @tag = 'kept'");
            st.execute("START TRANSACTION");
            assertThat(st.executeUpdate("INSERT INTO test.replay_restart VALUES (1, 'one')")).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM test.replay_restart")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            primary.stop();
            // sent while there is no primary: it waits behind the replay
            CompletableFuture<Integer> insert = CompletableFuture.supplyAsync(() -> {
                try {
                    return st.executeUpdate("INSERT INTO test.replay_restart VALUES (2, 'two')");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertThat(insert).as("waits for the primary").isNotDone();
            primary.start();
            assertThat(insert.get(60, TimeUnit.SECONDS)).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), @tag FROM test.replay_restart")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the replayed row and the new one, once each").isEqualTo(2);
                assertThat(rs.getString(2)).as("session state replayed on the new connection").isEqualTo("kept");
            }
            st.execute("COMMIT");
        }
        assertThat(rows("replay_restart")).containsExactly("1=one", "2=two");
        assertThat(diag("replayed_transactions")).isEqualTo(1);
    }

    @Test
    void aReplayThatReadsSomethingElseClosesTheSessionWithAClearError() throws Exception {
        table("replay_mismatch");
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO test.replay_mismatch VALUES (10, 'before')");
        }
        start("transaction_replay=true");
        MariaDbNode primary = topology.primary();
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("START TRANSACTION");
            try (ResultSet rs = st.executeQuery("SELECT v FROM test.replay_mismatch WHERE id = 10")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("before");
            }
            // committed by someone else: the transaction's snapshot read does not block it
            try (Connection other = primary.rootConnection(); Statement s = other.createStatement()) {
                s.execute("UPDATE test.replay_mismatch SET v = 'after' WHERE id = 10");
            }
            primary.stop();
            CompletableFuture<Integer> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return st.executeUpdate("INSERT INTO test.replay_mismatch VALUES (11, 'x')");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            primary.start();
            assertThatThrownBy(() -> next.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().cause().isInstanceOf(SQLException.class).hasMessageContaining("checksum mismatch");
            assertThat(c.isValid(5)).as("the session was closed").isFalse();
        }
        assertThat(rows("replay_mismatch")).containsExactly("10=after");
        assertThat(diag("replay_mismatches")).isEqualTo(1);
        assertThat(diag("replayed_transactions")).isZero();
    }

    @Test
    void aDeadlockVictimIsReplayedInsteadOfFailingWithRetryOnDeadlock() throws Exception {
        table("replay_deadlock");
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO test.replay_deadlock VALUES (1, 'x'), (2, 'x')");
        }
        start("transaction_replay=true\ntransaction_replay_retry_on_deadlock=true");
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement();
             Connection other = topology.primary().rootConnection(); Statement os = other.createStatement()) {
            st.execute("START TRANSACTION");
            assertThat(st.executeUpdate("UPDATE test.replay_deadlock SET v = 'a' WHERE id = 1")).isEqualTo(1);
            os.execute("START TRANSACTION");
            for (int i = 100; i < 120; i++) { // heavier than the client's: InnoDB picks the client as the victim
                os.executeUpdate("INSERT INTO test.replay_deadlock VALUES (" + i + ", 'b')");
            }
            os.executeUpdate("UPDATE test.replay_deadlock SET v = 'b' WHERE id = 2");
            CompletableFuture<Integer> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return st.executeUpdate("UPDATE test.replay_deadlock SET v = 'a' WHERE id = 2");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000); // the client now waits for the other's lock on row 2
            assertThat(os.executeUpdate("UPDATE test.replay_deadlock SET v = 'b' WHERE id = 1")).isEqualTo(1);
            os.execute("COMMIT");
            assertThat(blocked.get(60, TimeUnit.SECONDS)).as("no deadlock error reached the client").isEqualTo(1);
            st.execute("COMMIT");
        }
        assertThat(rows("replay_deadlock")).startsWith("1=a", "2=a").hasSize(22);
        assertThat(diag("replayed_transactions")).isEqualTo(1);
    }

    @Test
    void anOptimisticTransactionReadsOnAReplicaAndMovesToThePrimaryAtItsFirstWrite() throws Exception {
        table("replay_optimistic");
        topology.waitForReplication(java.time.Duration.ofSeconds(30));
        start("optimistic_trx=true");
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            long onReplicas = diag("route_slave");
            st.execute("START TRANSACTION");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM test.replay_optimistic")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            assertThat(diag("route_slave") - onReplicas).as("BEGIN and the read ran on a replica").isEqualTo(2);
            assertThat(st.executeUpdate("INSERT INTO test.replay_optimistic VALUES (1, 'x')")).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), @@port FROM test.replay_optimistic")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getInt(2)).as("the transaction now runs on the primary")
                        .isEqualTo(topology.primary().port());
            }
            st.execute("COMMIT");
        }
        assertThat(rows("replay_optimistic")).containsExactly("1=x");
        assertThat(diag("replayed_transactions")).isEqualTo(1);
    }

    @Test
    void anOptimisticTransactionThatOnlyReadsStaysOnItsReplica() throws Exception {
        start("optimistic_trx=true");
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("START TRANSACTION");
            int first = SluiceFixture.serverPort(st);
            assertThat(first).isNotEqualTo(topology.primary().port());
            assertThat(SluiceFixture.serverPort(st)).as("pinned to one replica").isEqualTo(first);
            st.execute("COMMIT");
        }
        assertThat(diag("replayed_transactions")).isZero();
    }

    @Test
    void aChangeOfUserEmptiesTheHistoryThatLaterConnectionsReplay() throws Exception {
        start("lazy_connect=true");
        try (Connection c = sluice.connect(Client.MYSQL_TEXT, "RW-Listener", "test", "");
             Statement st = c.createStatement()) {
            st.execute("SET @v = 'before the change'");
            c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).changeUser(MariaDbTopology.APP_USER,
                    MariaDbTopology.APP_PASSWORD);
            // the first read opens a replica connection, which replays the history: the SET must not be in it
            try (ResultSet rs = st.executeQuery("SELECT @v, @@port")) {
                rs.next();
                assertThat(rs.getString(1)).isNull();
                assertThat(rs.getInt(2)).isNotEqualTo(topology.primary().port());
            }
        }
    }

    @Test
    void anInterruptedCommitIsNotReplayedWithSafeCommit() throws Exception {
        table("replay_commit");
        MariaDbNode primary = topology.primary();
        try (Connection c = primary.rootConnection(); Statement s = c.createStatement()) {
            // no replica acknowledges: each COMMIT waits 20 s for one (long enough to kill the server meanwhile)
            s.execute("SET GLOBAL rpl_semi_sync_master_enabled = ON");
            s.execute("SET GLOBAL rpl_semi_sync_master_timeout = 20000");
        }
        start("transaction_replay=true");
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("START TRANSACTION");
            st.executeUpdate("INSERT INTO test.replay_commit VALUES (1, 'once')");
            CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
                try {
                    st.execute("COMMIT");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500);
            assertThat(commit).as("the COMMIT waits for a semi-sync acknowledgement").isNotDone();
            primary.kill9();
            assertThatThrownBy(() -> commit.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().cause().isInstanceOf(SQLException.class)
                    .hasMessageContaining("transaction_replay_safe_commit");
            primary.start(); // (the restart also turns semi-sync off again)
        }
        assertThat(rows("replay_commit")).as("committed at most once").hasSizeLessThanOrEqualTo(1);
        assertThat(diag("replayed_transactions")).isZero();
    }
}
