package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.api.monitor.Monitor;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault test 4 of issue 6: two Sluice instances, each with its own mariadbmon and
 * {@code cooperative_monitoring_locks=majority_of_all}, in front of one primary and two replicas. Exactly one
 * of them is the primary monitor; {@code release-locks} hands the role over; the primary's death causes exactly
 * one failover; stopping the Sluice that holds the locks hands monitoring to the other, which then performs
 * cluster operations. The steps build on each other and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultCooperativeMonitoringIT {

    static MariaDbTopology topology;
    static SluiceFixture a;
    static SluiceFixture b;

    @BeforeAll
    static void start() throws Exception {
        topology = MariaDbTopology.builder().replicas(2).namePrefix("coop").start();
        a = SluiceFixture.start(topology, config("a"));
        b = SluiceFixture.start(topology, config("b"));
    }

    static String config(String instance) {
        String monitorLines = "monitor_interval=200ms\nbackend_connect_timeout=1s\nbackend_read_timeout=1s\n"
                + "auto_failover=true\nauto_rejoin=false\nfailcount=2\nfailover_timeout=20s\n"
                + "switchover_timeout=20s\ncooperative_monitoring_locks=majority_of_all\n";
        return SluiceFixture.baseConfig(topology, "", true)
                .replace("sluice-data", "sluice-data-" + instance)
                .replace("monitor_interval=200ms\n", monitorLines)
                + SluiceFixture.service("RW", "master", SluiceFixture.serverNames(topology), "RW-Listener", "");
    }

    @AfterAll
    static void stop() {
        for (SluiceFixture f : new SluiceFixture[] {a, b}) {
            if (f != null) {
                f.close();
            }
        }
        if (topology != null) {
            topology.close();
        }
    }

    static Monitor monitor(SluiceFixture f) {
        return f.server.monitors().get("Cluster").monitor();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cooperative(SluiceFixture f) {
        Object m = monitor(f).diagnostics().get("cooperative_monitoring");
        return m == null ? Map.of() : (Map<String, Object>) m;
    }

    static boolean isPrimaryMonitor(SluiceFixture f) {
        return Boolean.TRUE.equals(cooperative(f).get("primary_monitor"));
    }

    @SuppressWarnings("unchecked")
    static long operations(SluiceFixture f, String name) {
        Map<String, Object> ops = (Map<String, Object>) monitor(f).diagnostics().getOrDefault("operations", Map.of());
        Object n = ops.get(name);
        return n == null ? 0 : ((Number) n).longValue();
    }

    /** Waits until exactly one instance is the primary monitor and returns it. */
    static SluiceFixture awaitSinglePrimaryMonitor(Duration timeout) throws Exception {
        assertThat(SluiceFixture.eventually(timeout, () -> isPrimaryMonitor(a) ^ isPrimaryMonitor(b)))
                .as("exactly one primary monitor; a=%s b=%s", cooperative(a), cooperative(b)).isTrue();
        return isPrimaryMonitor(a) ? a : b;
    }

    static SluiceFixture other(SluiceFixture f) {
        return f == a ? b : a;
    }

    @Test
    @Order(1)
    void exactlyOneInstanceIsThePrimaryMonitorAndTheOtherRefusesOperations() throws Exception {
        SluiceFixture primary = awaitSinglePrimaryMonitor(Duration.ofSeconds(20));
        SluiceFixture secondary = other(primary);
        assertThat(cooperative(primary)).containsEntry("state", "primary monitor");
        assertThat((List<?>) cooperative(primary).get("server_locks_held")).hasSize(3);
        assertThat(cooperative(secondary)).containsEntry("state", "not primary monitor");
        assertThat((List<?>) cooperative(secondary).get("server_locks_held")).isEmpty();
        // both publish the same roles
        for (SluiceFixture f : new SluiceFixture[] {a, b}) {
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                    () -> f.server.server("db1").status().isMaster())).isTrue();
        }
        CommandResult refused = monitor(secondary).command("switchover", List.of("db2", "db1"));
        assertThat(refused.ok()).isFalse();
        assertThat(refused.message()).contains("not the primary monitor");
        // the lock is visible on the servers themselves
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT IS_USED_LOCK('maxscale_mariadbmonitor') IS NOT NULL,"
                     + " IS_USED_LOCK('maxscale_mariadbmonitor_master') IS NOT NULL")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(5), () -> masterLockUsed(topology.primary())))
                    .as("the primary monitor marks db1 with the master lock").isTrue();
        }
    }

    static boolean masterLockUsed(MariaDbNode node) throws Exception {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT IS_USED_LOCK('maxscale_mariadbmonitor_master') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    @Order(2)
    void releaseLocksHandsTheRoleToTheOtherInstance() throws Exception {
        SluiceFixture primary = awaitSinglePrimaryMonitor(Duration.ofSeconds(20));
        CommandResult released = monitor(primary).command("release-locks", List.of());
        assertThat(released.ok()).as(released.message()).isTrue();
        assertThat(released.message()).contains("released 3 lock(s)");
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> isPrimaryMonitor(other(primary)) && !isPrimaryMonitor(primary)))
                .as("a=%s b=%s", cooperative(a), cooperative(b)).isTrue();
        // and it stays there once the first one tries again
        Thread.sleep(4_000);
        assertThat(awaitSinglePrimaryMonitor(Duration.ofSeconds(1))).isSameAs(other(primary));
    }

    @Test
    @Order(3)
    void thePrimarysDeathCausesExactlyOneFailover() throws Exception {
        SluiceFixture primary = awaitSinglePrimaryMonitor(Duration.ofSeconds(20));
        SluiceFixture secondary = other(primary);
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS coop");
            s.execute("CREATE TABLE IF NOT EXISTS coop.t (id INT PRIMARY KEY)");
            s.execute("INSERT INTO coop.t VALUES (1)");
        }
        topology.waitForReplication(Duration.ofSeconds(20));

        topology.primary().kill9();
        // both instances end up with the same new primary
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(30), () -> newMaster(a) != null
                && newMaster(a).equals(newMaster(b)))).as("a=%s b=%s", monitor(a).diagnostics(),
                monitor(b).diagnostics()).isTrue();
        Thread.sleep(3_000); // let a second, wrong failover show itself if there was to be one
        String promoted = newMaster(a);
        assertThat(newMaster(b)).isEqualTo(promoted);
        assertThat(operations(primary, "auto_failover")).as("%s", monitor(primary).diagnostics()).isEqualTo(1);
        assertThat(operations(secondary, "auto_failover")).as("%s", monitor(secondary).diagnostics()).isZero();

        MariaDbNode newPrimary = topology.node(nodeName(promoted));
        MariaDbNode otherReplica = topology.replicas().stream().filter(n -> n != newPrimary).findFirst()
                .orElseThrow();
        try (Connection c = newPrimary.rootConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW ALL SLAVES STATUS")) {
                assertThat(rs.next()).as("the promoted server replicates from nobody").isFalse();
            }
            try (ResultSet rs = s.executeQuery("SELECT @@read_only")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
        try (Connection c = otherReplica.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt("Master_Port")).isEqualTo(newPrimary.port());
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> replicating(otherReplica))).isTrue();
            try (ResultSet again = c.createStatement().executeQuery("SELECT @@read_only")) {
                again.next();
                assertThat(again.getInt(1)).as("the other replica is not promoted as well").isOne();
            }
        }
        // writes go through both instances to the one new primary
        for (SluiceFixture f : new SluiceFixture[] {a, b}) {
            try (Connection c = f.app("RW-Listener"); Statement s = c.createStatement()) {
                assertThat(SluiceFixture.serverPort(s)).isEqualTo(newPrimary.port());
            }
        }
    }

    static boolean replicating(MariaDbNode node) throws Exception {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() && "Yes".equals(rs.getString("Slave_IO_Running"))
                    && "Yes".equals(rs.getString("Slave_SQL_Running"));
        }
    }

    /** The server other than db1 that the instance publishes as Master, or null. */
    static String newMaster(SluiceFixture f) {
        for (String name : List.of("db2", "db3")) {
            if (f.server.server(name).status().isMaster()) {
                return name;
            }
        }
        return null;
    }

    static String nodeName(String dbName) {
        int index = Integer.parseInt(dbName.substring(2)) - 1;
        return topology.nodes().get(index).name();
    }

    @Test
    @Order(4)
    void stoppingTheLockHolderHandsMonitoringToTheOther() throws Exception {
        SluiceFixture primary = awaitSinglePrimaryMonitor(Duration.ofSeconds(20));
        SluiceFixture survivor = other(primary);
        long stopped = System.nanoTime();
        primary.close();
        if (primary == a) {
            a = null;
        } else {
            b = null;
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> isPrimaryMonitor(survivor)))
                .as("%s", cooperative(survivor)).isTrue();
        long tookMs = (System.nanoTime() - stopped) / 1_000_000;
        // majority_of_all with one server down: 2 of 3 locks
        assertThat((List<?>) cooperative(survivor).get("server_locks_held")).hasSize(2);
        assertThat(tookMs).isLessThan(20_000);

        // the survivor now performs cluster operations: the old primary comes back and is rejoined by hand
        topology.primary().start();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20),
                () -> survivor.server.server("db1").status().isRunning())).isTrue();
        List<String> results = new ArrayList<>();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> {
            CommandResult r = monitor(survivor).command("rejoin", List.of("db1"));
            results.add(r.message());
            return r.ok();
        })).as("%s", results).isTrue();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> survivor.server.server("db1").status().isSlave())).isTrue();
    }
}
