package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The primary turns read-only under live connections (the first step of a switchover): with transaction_replay
 * a write it rejects with 1290 was not applied, so the client must not see the error. The write waits for a
 * writable primary (here the same server, writable again) and goes there; inside a transaction the transaction
 * is rolled back on the read-only server and replayed. The topology is private to this class.
 */
class ReadWriteSplitReadOnlyPrimaryIT {
    private static MariaDbTopology topology;
    private static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        topology = MariaDbTopology.builder().replicas(1).namePrefix("ro").start();
        sluice = SluiceFixture.start(topology, SluiceFixture.readWriteSplit(topology, "transaction_replay=true\n"));
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE test.ro (id INT PRIMARY KEY)");
        }
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

    private static void readOnly(boolean on) throws SQLException {
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(20);
            s.execute("SET GLOBAL read_only=" + (on ? 1 : 0));
        }
    }

    private static int count(int id) throws SQLException {
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM test.ro WHERE id=" + id)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void autocommitWriteRejectedAsReadOnlyWaitsAndIsAppliedOnce() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO test.ro VALUES (1)");
            readOnly(true);
            try {
                CompletableFuture<Integer> write = CompletableFuture.supplyAsync(() -> {
                    try {
                        return st.executeUpdate("INSERT INTO test.ro VALUES (2)");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e.getErrorCode() + " " + e.getMessage(), e);
                    }
                });
                Thread.sleep(1500);
                assertThat(write).as("the write waits while the primary is read-only").isNotDone();
                readOnly(false);
                assertThat(write.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            } finally {
                readOnly(false);
            }
        }
        assertThat(count(2)).isEqualTo(1);
    }

    @Test
    void transactionWhoseWriteIsRejectedAsReadOnlyIsReplayed() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("BEGIN");
            st.executeUpdate("INSERT INTO test.ro VALUES (10)");
            readOnly(true);
            try {
                CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> {
                    try {
                        st.executeUpdate("INSERT INTO test.ro VALUES (11)");
                        st.execute("COMMIT");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e.getErrorCode() + " " + e.getMessage(), e);
                    }
                });
                Thread.sleep(1500);
                assertThat(rest).as("the transaction waits while the primary is read-only").isNotDone();
                readOnly(false);
                rest.get(30, TimeUnit.SECONDS);
            } finally {
                readOnly(false);
            }
        }
        assertThat(count(10)).isEqualTo(1);
        assertThat(count(11)).isEqualTo(1);
    }
}
