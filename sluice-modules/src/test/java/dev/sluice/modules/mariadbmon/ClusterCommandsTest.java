package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The mariadbmon commands and options beyond switchover/failover/rejoin, against a real primary and two GTID
 * replicas: async commands with fetch-cmd-result and cancel-cmd, one operation at a time, switchover-force,
 * promotion/demotion SQL files, reset-replication, the enforcement options, script events and the journal.
 * Every test leaves ccN1 the primary of the other two.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCommandsTest {

    private static MariaDbTopology topology;

    @TempDir
    Path dir;

    private final List<FakeMonitorContext.FakeServer> servers = new ArrayList<>();
    private MariaDbMonitor monitor;

    @BeforeAll
    static void startTopology() throws SQLException {
        topology = MariaDbTopology.builder().replicas(2).namePrefix("cc").start();
        sql(topology.primary(), "CREATE DATABASE IF NOT EXISTS cc");
        sql(topology.primary(), "CREATE TABLE IF NOT EXISTS cc.t (id INT PRIMARY KEY)");
        topology.waitForReplication(Duration.ofSeconds(10));
    }

    @AfterAll
    static void closeTopology() {
        if (topology != null) {
            topology.close();
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void initialShape() {
        topology.heal(); // ccN1 the primary of the other two, whatever the previous test left
    }

    @AfterEach
    void stopMonitor() {
        if (monitor != null) {
            monitor.stop();
            monitor = null;
        }
    }

    private MariaDbMonitor newMonitor(Map<String, Object> extra, Path dataDirectory) {
        servers.clear();
        for (MariaDbNode node : topology.nodes()) {
            servers.add(new FakeMonitorContext.FakeServer(node.name(), node.host(), node.port()));
        }
        Map<String, Object> params = new HashMap<>(Map.of(
                "user", MariaDbTopology.MONITOR_USER, "password", MariaDbTopology.MONITOR_PASSWORD,
                "monitor_interval", Duration.ofMillis(300), "backend_connect_timeout", Duration.ofSeconds(1),
                "backend_read_timeout", Duration.ofSeconds(1), "failcount", 2L,
                "switchover_timeout", Duration.ofSeconds(10), "failover_timeout", Duration.ofSeconds(10)));
        params.putAll(extra);
        return new MariaDbMonitor(new FakeMonitorContext(params, servers, dataDirectory));
    }

    private void startMonitor(Map<String, Object> extra) {
        monitor = newMonitor(extra, dir);
        monitor.start();
        awaitInitialRoles();
    }

    private void awaitInitialRoles() {
        awaitState(0, ServerStatus::isMaster, "Master");
        awaitState(1, ServerStatus::isSlave, "Slave");
        awaitState(2, ServerStatus::isSlave, "Slave");
    }

    @Test
    @Order(1)
    void asyncSwitchoverReportsThroughFetchCmdResultAndASecondOperationMeanwhileIsRefused() throws Exception {
        startMonitor(Map.of());
        assertThat(monitor.command("fetch-cmd-result", List.of()).message())
                .contains("no asynchronous command has been run");
        CommandResult queued = monitor.command("async-switchover", List.of(name(1), name(0)));
        assertThat(queued.ok()).isTrue();
        assertThat(queued.message()).contains("queued");
        CommandResult second = monitor.command("failover", List.of());
        assertThat(second.ok()).isFalse();
        assertThat(second.message()).contains("another operation (switchover) is");
        CommandResult result = awaitFetchedResult();
        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.message()).contains(name(1) + " is the new primary");
        awaitState(1, ServerStatus::isMaster, "Master after async-switchover");

        CommandResult back = monitor.command("switchover", List.of(name(0), name(1)));
        assertThat(back.ok()).as(back.message()).isTrue();
        awaitInitialRoles();
    }

    private CommandResult awaitFetchedResult() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        CommandResult r;
        do {
            r = monitor.command("fetch-cmd-result", List.of());
            if (!r.message().startsWith("fetch-cmd-result:")) {
                return r;
            }
            assertThat(r.message()).containsAnyOf("is pending", "is running");
            sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no result: " + r.message());
    }

    @Test
    @Order(2)
    void cancelCmdDropsAnAsyncCommandThatHasNotStarted() throws Exception {
        // a server that accepts TCP connections but never greets: every tick waits backend_read_timeout for it,
        // so a queued command waits for the tick to end
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            newMonitor(Map.of(), dir); // fills the server list
            servers.add(new FakeMonitorContext.FakeServer("silent", "127.0.0.1", silent.getLocalPort()));
            monitor = new MariaDbMonitor(new FakeMonitorContext(Map.of(
                    "user", MariaDbTopology.MONITOR_USER, "password", MariaDbTopology.MONITOR_PASSWORD,
                    "monitor_interval", Duration.ofMillis(300), "backend_connect_timeout", Duration.ofSeconds(1),
                    "backend_read_timeout", Duration.ofSeconds(1), "failcount", 2L), servers, dir));
            monitor.start();
            awaitInitialRoles();
            boolean cancelled = false;
            for (int attempt = 0; attempt < 5 && !cancelled; attempt++) {
                assertThat(monitor.command("async-rejoin", List.of(name(2))).ok()).isTrue();
                CommandResult cancel = monitor.command("cancel-cmd", List.of());
                if (cancel.ok()) {
                    cancelled = true;
                    assertThat(cancel.message()).isEqualTo("cancel-cmd: rejoin cancelled");
                    assertThat(monitor.command("fetch-cmd-result", List.of()).message())
                            .isEqualTo("rejoin: cancelled by cancel-cmd");
                } else {
                    assertThat(cancel.message()).containsAnyOf("already running", "no asynchronous command");
                    awaitFetchedResult();
                }
            }
            assertThat(cancelled).as("cancel-cmd beat the monitor thread once in 5 attempts").isTrue();
            assertThat(monitor.command("cancel-cmd", List.of()).message()).contains("no asynchronous command");
            // after the cancel, operations are accepted again
            CommandResult rejoin = monitor.command("rejoin", List.of(name(2)));
            assertThat(rejoin.message()).contains("already replicates from the primary");
        }
    }

    @Test
    @Order(3)
    void aFailingDemotionSqlFileStopsASwitchoverButNotASwitchoverForce() throws Exception {
        Path demotion = dir.resolve("demotion.sql");
        Files.writeString(demotion, "# demotion\nSET @demoted = 1\n\nSELECT no_such_function_here()\n");
        Path promotion = dir.resolve("promotion.sql");
        Files.writeString(promotion, "-- promotion\nSET GLOBAL max_connect_errors=4242\n");
        startMonitor(Map.of("demotion_sql_file", demotion.toString(), "promotion_sql_file", promotion.toString()));

        CommandResult refused = monitor.command("switchover", List.of(name(1), name(0)));
        assertThat(refused.ok()).isFalse();
        assertThat(refused.message()).contains("demoting " + name(0) + " failed")
                .contains(demotion + ":4:");
        assertThat(readOnly(topology.primary())).as("the old primary is writable again").isFalse();
        awaitInitialRoles();

        CommandResult forced = monitor.command("switchover-force", List.of(name(1), name(0)));
        assertThat(forced.ok()).as(forced.message()).isTrue();
        assertThat(forced.message()).contains("switchover-force: " + name(1) + " is the new primary")
                .contains("ignored: demoting " + name(0) + " failed");
        awaitState(1, ServerStatus::isMaster, "Master after switchover-force");
        awaitState(0, ServerStatus::isSlave, "Slave after switchover-force");
        assertThat(count(topology.replicas().get(0), "SELECT @@max_connect_errors")).as("promotion_sql_file ran")
                .isEqualTo(4242);
        monitor.stop();
        monitor = null;

        startMonitor2(Map.of());
        CommandResult back = monitor.command("switchover", List.of(name(0), name(1)));
        assertThat(back.ok()).as(back.message()).isTrue();
        awaitInitialRoles();
    }

    private void startMonitor2(Map<String, Object> extra) {
        monitor = newMonitor(extra, dir);
        monitor.start();
        awaitState(1, ServerStatus::isMaster, "Master");
    }

    @Test
    @Order(4)
    void resetReplicationIsRefusedWhileAServerIsDownAndOtherwiseRestartsTheGtids() throws Exception {
        startMonitor(Map.of());
        MariaDbNode down = topology.replicas().get(1);
        down.kill9();
        awaitState(2, s -> !s.isRunning(), "Down");
        CommandResult refused = monitor.command("reset-replication", List.of());
        assertThat(refused.ok()).isFalse();
        assertThat(refused.message()).isEqualTo("reset-replication: " + name(2)
                + " is down; every server must be running, or it would keep GTIDs the others no longer know");
        down.start();
        awaitState(2, ServerStatus::isSlave, "Slave after restart");
        sql(topology.primary(), "INSERT INTO cc.t VALUES (1)");
        assertThat(gtidBinlogPos(topology.primary())).isNotEmpty();

        CommandResult reset = monitor.command("reset-replication", List.of(name(0)));
        assertThat(reset.ok()).as(reset.message()).isTrue();
        awaitInitialRoles();
        sql(topology.primary(), "INSERT INTO cc.t VALUES (2)");
        assertThat(gtidBinlogPos(topology.primary())).isEqualTo("0-" + topology.primary().serverId() + "-1");
        topology.waitForReplication(Duration.ofSeconds(10));
        for (MariaDbNode replica : topology.replicas()) {
            assertThat(count(replica, "SELECT COUNT(*) FROM cc.t")).isEqualTo(2); // data kept, GTIDs restarted
        }
    }

    @Test
    @Order(5)
    void enforcementKeepsReplicasReadOnlyAndThePrimaryWritable() throws Exception {
        startMonitor(Map.of("enforce_read_only_slaves", true, "enforce_writable_master", true));
        sql(topology.replicas().get(0), "SET GLOBAL read_only=0");
        assertThat(eventually(() -> readOnly(topology.replicas().get(0)))).as("replica read-only again").isTrue();
        sql(topology.primary(), "SET GLOBAL read_only=1");
        assertThat(eventually(() -> !readOnly(topology.primary()))).as("primary writable again: %s",
                monitor.diagnostics()).isTrue();
        assertThat(servers.get(0).status().isMaster()).isTrue();
        // the monitor counts an enforcement after its statement ran: the count may lag what the servers show
        assertThat(eventually(() -> monitor.diagnostics().get("operations").toString()
                .contains("enforce_writable_master="))).as("%s", monitor.diagnostics()).isTrue();
        assertThat(monitor.diagnostics().get("operations").toString()).contains("enforce_read_only_slaves=");
    }

    @Test
    @Order(6)
    void theScriptRunsOnSelectedEventsWithMaxScalesSubstitutions() throws Exception {
        Path out = dir.resolve("events.txt");
        Path script = dir.resolve("event.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$1 $2 $3\" >> " + out + "\n");
        script.toFile().setExecutable(true);
        startMonitor(Map.of("script", script + " $EVENT $INITIATOR $NODELIST",
                "events", List.of("slave_down", "slave_up", "new_slave")));
        MariaDbNode replica = topology.replicas().get(1);
        replica.kill9();
        awaitState(2, s -> !s.isRunning(), "Down");
        replica.start();
        awaitState(2, ServerStatus::isSlave, "Slave after restart");
        String initiator = "[127.0.0.1]:" + replica.port();
        // back up, it is a Slave at once (slave_up) or first Running and then a Slave (new_slave)
        assertThat(eventually(() -> Files.exists(out) && Files.readString(out).contains("_slave")
                || Files.exists(out) && Files.readString(out).contains("slave_up"))).isTrue();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).startsWith("slave_down " + initiator + " ")
                .doesNotContain(initiator + ",").doesNotContain("," + initiator);
        assertThat(lines.get(lines.size() - 1)).matches("(slave_up|new_slave) \\Q" + initiator + "\\E .*")
                .contains("," + initiator);
        assertThat(String.join("\n", lines)).as("only the selected events").doesNotContain("server_up")
                .doesNotContain("master");
    }

    @Test
    @Order(7)
    void aRestartedMonitorKnowsThePrimaryFromItsJournalAndFailsOverWhenItDiedMeanwhile() throws Exception {
        startMonitor(Map.of());
        assertThat(Files.readString(dir.resolve(Journal.FILE_NAME))).isEqualTo("primary=" + name(0) + "\n");
        monitor.stop();
        monitor = null;

        MariaDbNode oldPrimary = topology.primary();
        sql(oldPrimary, "INSERT INTO cc.t VALUES (3)");
        topology.waitForReplication(Duration.ofSeconds(10));
        oldPrimary.kill9(); // while no monitor runs
        monitor = newMonitor(Map.of("auto_failover", "true"), dir);
        monitor.start();
        int promoted = awaitAny(List.of(1, 2), ServerStatus::isMaster, Duration.ofSeconds(20), "Master");
        // the promoted server is published as soon as it is writable, the diagnostics after the operation
        assertThat(eventually(() -> monitor.diagnostics().get("operations").toString().contains("auto_failover=1")))
                .as("%s", monitor.diagnostics()).isTrue();
        assertThat(Files.readString(dir.resolve(Journal.FILE_NAME))).isEqualTo("primary=" + name(promoted) + "\n");

        // without the journal a fresh monitor sees two read-only servers and no primary: nothing to fail over
        monitor.stop();
        oldPrimary.start();
        topology.heal();
    }

    @Test
    @Order(8)
    void scheduledEventsFollowThePrimaryThroughASwitchover() throws Exception {
        startMonitor(Map.of());
        sql(topology.primary(), "CREATE EVENT IF NOT EXISTS cc.tick ON SCHEDULE EVERY 1 HOUR DO DO 1");
        topology.waitForReplication(Duration.ofSeconds(10));
        assertThat(eventStatus(topology.replicas().get(0))).isEqualTo("SLAVESIDE_DISABLED");
        String oldBinlog = gtidBinlogPos(topology.primary());

        CommandResult r = monitor.command("switchover", List.of(name(1), name(0)));
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(eventStatus(topology.replicas().get(0))).as("enabled on the new primary").isEqualTo("ENABLED");
        assertThat(eventStatus(topology.primary())).as("disabled on the old one").isEqualTo("SLAVESIDE_DISABLED");
        assertThat(eventStatus(topology.replicas().get(1))).isEqualTo("SLAVESIDE_DISABLED");
        assertThat(gtidBinlogPos(topology.primary())).as("not binlogged: no errant GTID").isEqualTo(oldBinlog);
        awaitState(0, ServerStatus::isSlave, "Slave of the new primary");

        CommandResult back = monitor.command("switchover", List.of(name(0), name(1)));
        assertThat(back.ok()).as(back.message()).isTrue();
        assertThat(eventStatus(topology.primary())).isEqualTo("ENABLED");
        assertThat(eventStatus(topology.replicas().get(0))).isEqualTo("SLAVESIDE_DISABLED");
    }

    @Test
    @Order(9)
    void enforceSimpleTopologyRedirectsARelayedReplicaAndFailsOverAPrimaryItNeverSaw() throws Exception {
        MariaDbNode relayed = topology.replicas().get(1);
        sql(relayed, "STOP SLAVE");
        sql(relayed, "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + topology.replicas().get(0).port());
        sql(relayed, "START SLAVE");
        monitor = newMonitor(Map.of("enforce_simple_topology", true), dir);
        monitor.start();
        assertThat(eventually(() -> sourcePort(relayed) == topology.primary().port()))
                .as("the relayed replica replicates from the primary directly").isTrue();
        awaitInitialRoles();
        monitor.stop();

        MariaDbNode old = topology.primary();
        topology.waitForReplication(Duration.ofSeconds(10));
        old.kill9();
        // a fresh monitor with no journal: it never sees the primary running
        monitor = newMonitor(Map.of("enforce_simple_topology", true), dir.resolve("no-journal"));
        monitor.start();
        int promoted = awaitAny(List.of(1, 2), ServerStatus::isMaster, Duration.ofSeconds(20), "Master");
        assertThat(eventually(() -> monitor.diagnostics().get("operations").toString().contains("auto_failover=1")))
                .isTrue();
        awaitState(promoted == 1 ? 2 : 1, ServerStatus::isSlave, "Slave of the promoted server");
        old.start();
        awaitState(0, ServerStatus::isSlave, "the old primary rejoined (auto_rejoin is implied)");
        assertThat(sourcePort(old)).isEqualTo(topology.nodes().get(promoted).port());
    }

    private static int sourcePort(MariaDbNode node) throws SQLException {
        return MonitorTests.sourcePort(node);
    }

    private static String eventStatus(MariaDbNode node) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT STATUS FROM information_schema.EVENTS WHERE EVENT_SCHEMA='cc'"
                     + " AND EVENT_NAME='tick'")) {
            return rs.next() ? rs.getString(1) : "(none)";
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    private String name(int i) {
        return topology.nodes().get(i).name();
    }

    private void awaitState(int index, Predicate<ServerStatus> condition, String what) {
        awaitAny(List.of(index), condition, Duration.ofSeconds(15), what);
    }

    private int awaitAny(List<Integer> indexes, Predicate<ServerStatus> condition, Duration timeout, String what) {
        return MonitorTests.awaitAny(servers, indexes, condition, timeout, what);
    }

    private static boolean eventually(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return true;
            }
            sleep(50);
        }
        return false;
    }

    private static void sql(MariaDbNode node, String statement) throws SQLException {
        MonitorTests.sql(node, statement);
    }

    private static long count(MariaDbNode node, String query) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean readOnly(MariaDbNode node) throws SQLException {
        return count(node, "SELECT @@read_only") == 1;
    }

    private static String gtidBinlogPos(MariaDbNode node) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void sleep(long ms) {
        MonitorTests.sleep(ms);
    }
}
