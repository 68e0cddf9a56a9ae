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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * readwritesplit delayed_retry and master_reconnection with a real primary that goes away and comes back: a
 * statement that needs the primary waits for it instead of failing, the session reconnects with its state, and a
 * write that was in flight when the primary died gets an error and is never sent again. Healed after each test.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ReadWriteSplitFailoverIT {
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

    private static CompletableFuture<Integer> update(Statement st, String sql) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return st.executeUpdate(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aWriteSentWhileThereIsNoPrimaryWaitsAndSucceedsOnceItIsBack() throws Exception {
        table("delayed_write");
        start("delayed_retry=true\ndelayed_retry_timeout=60s");
        MariaDbNode primary = topology.primary();
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("SET @tag = 'session state'");
            assertThat(st.executeUpdate("INSERT INTO test.delayed_write VALUES (1, 'before')")).isEqualTo(1);
            primary.stop();
            CompletableFuture<Integer> insert = update(st, "INSERT INTO test.delayed_write VALUES (2, @tag)");
            Thread.sleep(1000);
            assertThat(insert).as("waits for a primary instead of failing").isNotDone();
            primary.start();
            assertThat(insert.get(60, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(st.executeUpdate("INSERT INTO test.delayed_write VALUES (3, 'after')")).isEqualTo(1);
        }
        assertThat(rows("delayed_write")).containsExactly("1=before", "2=session state", "3=after");
        assertThat(diag("delayed_retries")).isPositive();
    }

    @Test
    void aWriteFailsOnceDelayedRetryTimeoutHasPassed() throws Exception {
        table("delayed_timeout");
        start("delayed_retry=true\ndelayed_retry_timeout=2s");
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO test.delayed_timeout VALUES (1, 'x')");
            topology.primary().kill9();
            // once the monitor saw it, the session has long seen its primary connection close: the write below
            // is not in flight on the dead primary but finds no primary and waits
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                    () -> !sluice.server.server("db1").status().isRunning())).isTrue();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO test.delayed_timeout VALUES (2, 'y')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("primary");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(1800L, 30_000L);
        }
    }

    @Test
    void aWriteInFlightWhenThePrimaryDiesGetsAnErrorAndIsNeverSentAgain() throws Exception {
        table("in_flight");
        start("delayed_retry=true\ndelayed_retry_timeout=60s");
        MariaDbNode primary = topology.primary();
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            CompletableFuture<Integer> slow = update(st, "INSERT INTO test.in_flight SELECT 5, SLEEP(3)");
            Thread.sleep(1000);
            primary.kill9();
            assertThatThrownBy(() -> slow.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(SQLException.class);
            primary.start();
            // the session goes on: the next write waits for the primary and succeeds
            assertThat(st.executeUpdate("INSERT INTO test.in_flight VALUES (6, 'next')")).isEqualTo(1);
            Thread.sleep(4000); // would the first INSERT have been re-sent, it would be done by now
        }
        assertThat(rows("in_flight")).containsExactly("6=next");
    }
}
