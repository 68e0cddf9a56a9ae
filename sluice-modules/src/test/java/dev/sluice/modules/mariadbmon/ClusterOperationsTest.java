package dev.sluice.modules.mariadbmon;

import dev.sluice.api.monitor.CommandResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.server.ServerStatus;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * switchover, failover and rejoin against a real primary and two GTID replicas. The topology is private to
 * this class (the tests reshape it) and runs in the declared order; the last test leaves it failed over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOperationsTest {

    private static MariaDbTopology topology;

    private final List<FakeMonitorContext.FakeServer> servers = new ArrayList<>();
    private MariaDbMonitor monitor;

    @BeforeAll
    static void startTopology() throws SQLException {
        topology = MariaDbTopology.builder().replicas(2).namePrefix("ha").start();
        sql(topology.primary(), "CREATE DATABASE IF NOT EXISTS ha");
        sql(topology.primary(), "CREATE TABLE IF NOT EXISTS ha.t (id INT PRIMARY KEY, origin VARCHAR(32))");
        topology.waitForReplication(Duration.ofSeconds(10));
    }

    @AfterAll
    static void closeTopology() {
        if (topology != null) {
            topology.close();
        }
    }

    @AfterEach
    void stopMonitor() {
        if (monitor != null) {
            monitor.stop();
        }
    }

    private void startMonitor(Map<String, Object> extra) {
        for (MariaDbNode node : topology.nodes()) {
            servers.add(new FakeMonitorContext.FakeServer(node.name(), node.host(), node.port()));
        }
        Map<String, Object> params = new HashMap<>(Map.of(
                "user", MariaDbTopology.MONITOR_USER, "password", MariaDbTopology.MONITOR_PASSWORD,
                "monitor_interval", Duration.ofMillis(500), "backend_connect_timeout", Duration.ofSeconds(1),
                "backend_read_timeout", Duration.ofSeconds(1), "failcount", 2L,
                "switchover_timeout", Duration.ofSeconds(20), "failover_timeout", Duration.ofSeconds(20)));
        params.putAll(extra);
        monitor = new MariaDbMonitor(new FakeMonitorContext(params, servers));
        monitor.start();
        awaitState(0, ServerStatus::isMaster, "Master");
        awaitState(1, ServerStatus::isSlave, "Slave");
        awaitState(2, ServerStatus::isSlave, "Slave");
    }

    @Test
    @Order(1)
    void refusedOperationsSayWhy() {
        startMonitor(Map.of());
        CommandResult toPrimary = monitor.command("switchover", List.of(topology.primary().name()));
        assertThat(toPrimary.ok()).isFalse();
        assertThat(toPrimary.message()).contains("cannot be promoted").contains("it is the primary");

        CommandResult unknown = monitor.command("switchover", List.of("nosuch"));
        assertThat(unknown.ok()).isFalse();
        assertThat(unknown.message()).contains("'nosuch' is not a server of this monitor");

        CommandResult wrongOld = monitor.command("switchover",
                List.of(topology.replicas().get(0).name(), topology.replicas().get(1).name()));
        assertThat(wrongOld.ok()).isFalse();
        assertThat(wrongOld.message()).contains("is not the primary");

        CommandResult failover = monitor.command("failover", List.of());
        assertThat(failover.ok()).isFalse();
        assertThat(failover.message()).contains("is running; use switchover");

        CommandResult rejoin = monitor.command("rejoin", List.of(topology.replicas().get(0).name()));
        assertThat(rejoin.ok()).isFalse();
        assertThat(rejoin.message()).contains("already replicates from the primary");

        assertThat(monitor.command("frobnicate", List.of()).message()).contains("unknown mariadbmon command");
        // nothing changed
        assertThat(servers.get(0).status().isMaster()).isTrue();
        assertThat(servers.get(1).status().isSlave()).isTrue();
    }

    @Test
    @Order(2)
    void switchoverToAReplicaAndBack() throws Exception {
        startMonitor(Map.of());
        MariaDbNode oldPrimary = topology.primary();
        MariaDbNode newPrimary = topology.replicas().get(0);
        MariaDbNode other = topology.replicas().get(1);

        CommandResult r = monitor.command("switchover", List.of(newPrimary.name(), oldPrimary.name()));
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(servers.get(1).status().isMaster()).isTrue(); // published before the command returned
        awaitState(0, ServerStatus::isSlave, "Slave of the new primary");
        awaitState(2, ServerStatus::isSlave, "Slave of the new primary");
        assertThat(servers.get(0).status().readOnly()).isTrue();
        assertThat(servers.get(1).status().readOnly()).isFalse();
        assertThat(sourcePort(oldPrimary)).isEqualTo(newPrimary.port());
        assertThat(sourcePort(other)).isEqualTo(newPrimary.port());

        sql(newPrimary, "INSERT INTO ha.t VALUES (1, 'after switchover')");
        awaitRow(oldPrimary, 1);
        awaitRow(other, 1);

        // and back to the original primary
        CommandResult back = monitor.command("switchover", List.of(oldPrimary.name()));
        assertThat(back.ok()).as(back.message()).isTrue();
        awaitState(0, ServerStatus::isMaster, "Master again");
        awaitState(1, ServerStatus::isSlave, "Slave again");
        awaitState(2, ServerStatus::isSlave, "Slave again");
        sql(oldPrimary, "INSERT INTO ha.t VALUES (2, 'switched back')");
        awaitRow(newPrimary, 2);
        awaitRow(other, 2);
    }

    @Test
    @Order(3)
    void switchoverToADownServerIsRefusedAndAStandaloneReplicaIsRejoined() throws Exception {
        startMonitor(Map.of());
        MariaDbNode down = topology.replicas().get(1);
        down.kill9();
        awaitState(2, s -> !s.isRunning(), "Down");
        CommandResult r = monitor.command("switchover", List.of(down.name()));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("switchover: " + down.name() + " cannot be promoted: it is down");
        assertThat(servers.get(0).status().isMaster()).isTrue();
        down.start();
        awaitState(2, ServerStatus::isSlave, "Slave after restart");

        MariaDbNode standalone = topology.replicas().get(0);
        sql(standalone, "STOP SLAVE");
        sql(standalone, "RESET SLAVE ALL");
        sql(standalone, "SET GLOBAL read_only=0");
        awaitState(1, s -> s.isRunning() && !s.isSlave(), "standalone");
        CommandResult rejoin = monitor.command("rejoin", List.of(standalone.name()));
        assertThat(rejoin.ok()).as(rejoin.message()).isTrue();
        assertThat(sourcePort(standalone)).isEqualTo(topology.primary().port());
        awaitState(1, s -> s.isSlave() && s.readOnly(), "read-only Slave again");
        sql(topology.primary(), "INSERT INTO ha.t VALUES (10, 'after rejoin')");
        awaitRow(standalone, 10);
    }

    @Test
    @Order(4)
    void autoFailoverPromotesAReplicaAndAutoRejoinBringsTheOldPrimaryBack() throws Exception {
        startMonitor(Map.of("auto_failover", "true", "auto_rejoin", true));
        MariaDbNode oldPrimary = topology.primary();
        sql(oldPrimary, "INSERT INTO ha.t VALUES (3, 'before failover')");
        topology.waitForReplication(Duration.ofSeconds(10));

        long killed = System.nanoTime();
        oldPrimary.kill9();
        int promoted = awaitAny(List.of(1, 2), ServerStatus::isMaster, Duration.ofSeconds(10), "Master");
        long tookMs = (System.nanoTime() - killed) / 1_000_000;
        assertThat(tookMs).isLessThan(10_000);
        int follower = promoted == 1 ? 2 : 1;
        MariaDbNode newPrimary = topology.nodes().get(promoted);
        MariaDbNode other = topology.nodes().get(follower);
        // the promoted server is published as soon as it is writable; the other replica is redirected after
        // that, and the diagnostics follow the operation
        awaitDiagnostics("primary", newPrimary.name());
        awaitState(follower, ServerStatus::isSlave, "Slave of the promoted server");
        assertThat(sourcePort(other)).isEqualTo(newPrimary.port());
        assertThat(servers.get(promoted).status().readOnly()).isFalse();

        sql(newPrimary, "INSERT INTO ha.t VALUES (4, 'after failover')");
        awaitRow(other, 3);
        awaitRow(other, 4);

        oldPrimary.start();
        awaitState(0, ServerStatus::isSlave, "rejoined as Slave");
        assertThat(sourcePort(oldPrimary)).isEqualTo(newPrimary.port());
        assertThat(servers.get(0).status().readOnly()).isTrue();
        awaitRow(oldPrimary, 4);
        assertThat(servers.get(promoted).status().isMaster()).isTrue();
    }

    @Test
    @Order(5)
    void manualFailoverAfterThePrimaryDiesThenManualRejoin() throws Exception {
        // the topology is as the previous test left it: one of the former replicas is the primary
        for (MariaDbNode node : topology.nodes()) {
            servers.add(new FakeMonitorContext.FakeServer(node.name(), node.host(), node.port()));
        }
        monitor = new MariaDbMonitor(new FakeMonitorContext(Map.of(
                "user", MariaDbTopology.MONITOR_USER, "password", MariaDbTopology.MONITOR_PASSWORD,
                "monitor_interval", Duration.ofMillis(300), "backend_connect_timeout", Duration.ofSeconds(1),
                "backend_read_timeout", Duration.ofSeconds(1), "failcount", 2L), servers));
        monitor.start();
        int primary = awaitAny(List.of(0, 1, 2), ServerStatus::isMaster, Duration.ofSeconds(10), "Master");
        List<Integer> replicas = new ArrayList<>(List.of(0, 1, 2));
        replicas.remove(Integer.valueOf(primary));
        for (int r : replicas) {
            awaitState(r, ServerStatus::isSlave, "Slave");
        }
        MariaDbNode dead = topology.nodes().get(primary);
        dead.kill9();
        awaitState(primary, s -> !s.isRunning(), "Down");
        sleep(1500); // auto_failover is off: nothing happens by itself
        assertThat(servers.get(primary).status().detail()).contains("primary is down");
        assertThat(replicas.stream().noneMatch(r -> servers.get(r).status().isMaster())).isTrue();

        CommandResult r = monitor.command("failover", List.of());
        assertThat(r.ok()).as(r.message()).isTrue();
        int promoted = awaitAny(replicas, ServerStatus::isMaster, Duration.ofSeconds(5), "Master");
        int follower = replicas.get(0) == promoted ? replicas.get(1) : replicas.get(0);
        awaitState(follower, ServerStatus::isSlave, "Slave of the promoted server");
        sql(topology.nodes().get(promoted), "INSERT INTO ha.t VALUES (20, 'after manual failover')");
        awaitRow(topology.nodes().get(follower), 20);

        dead.start();
        awaitState(primary, s -> s.isRunning() && !s.isSlave(), "running standalone (auto_rejoin is off)");
        CommandResult rejoin = monitor.command("rejoin", List.of(dead.name()));
        assertThat(rejoin.ok()).as(rejoin.message()).isTrue();
        awaitState(primary, ServerStatus::isSlave, "Slave after rejoin");
        awaitRow(dead, 20);
    }

    // ------------------------------------------------------------------------------------------- helpers

    private void awaitDiagnostics(String key, Object value) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!value.equals(monitor.diagnostics().get(key)) && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(monitor.diagnostics()).containsEntry(key, value);
    }

    private void awaitState(int index, Predicate<ServerStatus> condition, String what) {
        awaitAny(List.of(index), condition, Duration.ofSeconds(10), what);
    }

    private int awaitAny(List<Integer> indexes, Predicate<ServerStatus> condition, Duration timeout, String what) {
        return MonitorTests.awaitAny(servers, indexes, condition, timeout, what);
    }

    private static void sql(MariaDbNode node, String statement) throws SQLException {
        MonitorTests.sql(node, statement);
    }

    private static int sourcePort(MariaDbNode node) throws SQLException {
        return MonitorTests.sourcePort(node);
    }

    private static void awaitRow(MariaDbNode node, int id) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = node.rootConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ha.t WHERE id=" + id)) {
                rs.next();
                if (rs.getInt(1) == 1) {
                    return;
                }
            }
            sleep(50);
        }
        throw new AssertionError("row " + id + " did not reach " + node.name());
    }

    private static void sleep(long ms) {
        MonitorTests.sleep(ms);
    }
}
