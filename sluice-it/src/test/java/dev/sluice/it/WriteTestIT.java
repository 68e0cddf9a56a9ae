package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * mariadbmon's write test against a primary whose writes hang while it still answers the monitor: a root
 * session holds {@code FLUSH TABLES WITH READ LOCK} on it. With {@code write_test_fail_action=log} the failures
 * are only counted and logged; with {@code failover}, after {@code failcount} failed tests a replica is promoted
 * and the old primary is put in maintenance. The topology is private to this class; the failover test runs
 * last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WriteTestIT {

    private static MariaDbTopology topology;

    @BeforeAll
    static void start() throws Exception {
        topology = MariaDbTopology.builder().replicas(2).namePrefix("wt").start();
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("GRANT ALL ON test.* TO 'maxuser'@'%'");
            s.execute("GRANT ALL ON test.* TO 'maxuser'@'localhost'");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    private static SluiceFixture sluice(String action) throws Exception {
        String config = SluiceFixture.baseConfig(topology, "", true).replace("monitor_interval=200ms\n",
                "monitor_interval=200ms\nbackend_read_timeout=1s\nfailcount=2\nwrite_test_interval=1s\n"
                        + "write_test_table=test.write_test\nwrite_test_fail_action=" + action
                        + "\nreplication_user=" + MariaDbTopology.REPLICATION_USER + "\nreplication_password="
                        + MariaDbTopology.REPLICATION_PASSWORD + "\n");
        SluiceFixture s = SluiceFixture.start(topology, config);
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> s.server.server("db1").status()
                .isMaster())).isTrue();
        return s;
    }

    private static long failures(SluiceFixture s) {
        Map<String, Object> d = s.server.monitors().get("Cluster").monitor().diagnostics();
        return ((Number) d.getOrDefault("write_test_failures", -1)).longValue();
    }

    @Test
    @Order(1)
    void aPrimaryWhoseWritesHangFailsTheWriteTestAndIsOnlyLoggedWithTheLogAction() throws Exception {
        try (SluiceFixture s = sluice("log")) {
            // an idle primary is tested: the table appears with a row
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> rows() > 0)).isTrue();
            try (Connection lock = topology.primary().rootConnection(); Statement st = lock.createStatement()) {
                st.execute("FLUSH TABLES WITH READ LOCK");
                assertThat(SluiceFixture.eventually(Duration.ofSeconds(15), () -> failures(s) >= 3))
                        .as("failed write tests: %s", failures(s)).isTrue();
                assertThat(s.server.server("db1").status().stateString()).isEqualTo("Master, Running");
                st.execute("UNLOCK TABLES");
            }
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(15), () -> failures(s) == 0))
                    .as("the test passes again once writes go through").isTrue();
        }
    }

    @Test
    @Order(2) // leaves the cluster failed over
    void withTheFailoverActionAReplicaIsPromotedAndTheOldPrimaryPutInMaintenance() throws Exception {
        try (SluiceFixture s = sluice("failover");
             Connection lock = topology.primary().rootConnection(); Statement st = lock.createStatement()) {
            st.execute("FLUSH TABLES WITH READ LOCK");
            long locked = System.nanoTime();
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(30), () -> s.server.server("db2").status()
                    .isMaster() || s.server.server("db3").status().isMaster()))
                    .as("a replica is promoted; %s", s.server.server("db1").status().detail()).isTrue();
            System.out.printf("WriteTestIT: failover %.2f s after the primary's writes hung%n",
                    (System.nanoTime() - locked) / 1e9);
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(5), () -> s.server.server("db1").status()
                    .stateString().startsWith("Maintenance"))).as(s.server.server("db1").status().stateString())
                    .isTrue();
            st.execute("UNLOCK TABLES");
        }
    }

    private static long rows() throws Exception {
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES"
                     + " WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = 'write_test'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return 0;
            }
        }
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM test.write_test")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
