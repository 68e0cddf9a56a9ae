package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MariaDbTopologyTest {

    private static MariaDbTopology topology;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        topology = MariaDbTopology.builder().replicas(2).namePrefix("kit").start();
        System.out.println("topology started in " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + topology);
    }

    @AfterAll
    static void stop() {
        topology.close();
    }

    @Test
    void writeOnPrimaryIsVisibleOnReplicas() throws SQLException {
        try (Connection c = topology.primary().connect("app", "apppwd", "test"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t1 (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("INSERT INTO t1 VALUES (1, 'hello')");
        }
        topology.waitForReplication(Duration.ofSeconds(10));
        for (MariaDbNode replica : topology.replicas()) {
            try (Connection c = replica.connect("app", "apppwd", "test"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM t1 WHERE id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("hello");
            }
        }
    }

    @Test
    void wrongPasswordIsRejected() {
        assertThatThrownBy(() -> topology.primary().connect("app", "wrong").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        assertThatThrownBy(() -> topology.primary().connect("root", "").close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void replicasAreReadOnlyAndPrimaryIsNot() throws SQLException {
        assertThat(queryLong(topology.primary(), "SELECT @@read_only")).isZero();
        for (MariaDbNode replica : topology.replicas()) {
            assertThat(queryLong(replica, "SELECT @@read_only")).isEqualTo(1);
        }
        assertThat(queryLong(topology.replicas().get(1), "SELECT @@server_id")).isEqualTo(3);
    }

    @Test
    void killedReplicaRestartsAndCatchesUp() throws SQLException {
        MariaDbNode replica = topology.replicas().get(0);
        long pid = replica.pid();
        replica.kill9();
        assertThat(replica.isRunning()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        try (Connection c = topology.primary().connect("app", "apppwd", "test"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t2 (id INT PRIMARY KEY)");
            s.execute("INSERT INTO t2 VALUES (42)");
        }
        replica.start();
        assertThat(replica.isRunning()).isTrue();
        topology.waitForReplication(Duration.ofSeconds(20));
        assertThat(queryLong(replica, "SELECT id FROM test.t2")).isEqualTo(42);
    }

    @Test
    void stoppedNodeStartsAgainOnTheSamePort() throws SQLException {
        MariaDbNode replica = topology.replicas().get(1);
        int port = replica.port();
        replica.stop();
        assertThat(replica.pid()).isEqualTo(-1);
        replica.start();
        assertThat(replica.port()).isEqualTo(port);
        assertThat(queryLong(replica, "SELECT 1")).isEqualTo(1);
    }

    static long queryLong(MariaDbNode node, String sql) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
