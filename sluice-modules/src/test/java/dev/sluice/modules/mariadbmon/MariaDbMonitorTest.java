package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.ModuleProvider;
import dev.sluice.api.monitor.Monitor;
import dev.sluice.api.monitor.MonitorFactory;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** mariadbmon against a real primary and two GTID replicas (shared topology, healed before the class). */
@MariaDbCluster(replicas = 2)
class MariaDbMonitorTest {

    private static final Duration INTERVAL = Duration.ofMillis(250);

    static MariaDbTopology topology;

    private final List<FakeMonitorContext.FakeServer> servers = new ArrayList<>();
    private Monitor monitor;

    @BeforeEach
    void startMonitor() {
        topology.heal();
        for (MariaDbNode node : topology.nodes()) {
            servers.add(new FakeMonitorContext.FakeServer(node.name(), node.host(), node.port()));
        }
        monitor = factory().create(new FakeMonitorContext(Map.of(
                "user", MariaDbTopology.MONITOR_USER, "password", MariaDbTopology.MONITOR_PASSWORD,
                "monitor_interval", INTERVAL, "backend_connect_timeout", Duration.ofSeconds(1),
                "backend_read_timeout", Duration.ofSeconds(1), "failcount", 2L), servers));
        monitor.start();
    }

    @AfterEach
    void stopMonitor() {
        monitor.stop();
    }

    private static MonitorFactory factory() {
        for (ModuleProvider provider : ServiceLoader.load(ModuleProvider.class)) {
            for (Module module : provider.modules()) {
                if (module.answersTo("mysqlmon")) {
                    assertThat(module.name()).isEqualTo("mariadbmon");
                    assertThat(module.kind()).isEqualTo(ModuleKind.MONITOR);
                    return module.factory(MonitorFactory.class);
                }
            }
        }
        throw new AssertionError("mariadbmon is not registered through ServiceLoader");
    }

    private FakeMonitorContext.FakeServer server(int index) {
        return servers.get(index);
    }

    private static void awaitState(FakeMonitorContext.FakeServer server, Predicate<ServerStatus> condition,
                                   Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(server.status())) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(server.name() + " not " + what + " within " + timeout + "; status "
                + server.status().stateString() + " (" + server.status().detail() + ")");
    }

    private void awaitInitialRoles() {
        awaitState(server(0), ServerStatus::isMaster, Duration.ofSeconds(5), "Master");
        awaitState(server(1), ServerStatus::isSlave, Duration.ofSeconds(5), "Slave");
        awaitState(server(2), ServerStatus::isSlave, Duration.ofSeconds(5), "Slave");
    }

    private static void sql(MariaDbNode node, String statement) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void publishesMasterAndSlavesWithServerFacts() {
        awaitInitialRoles();
        assertThat(monitor.hasTicked()).isTrue();
        assertThat(server(0).status().stateString()).isEqualTo("Master, Running");
        assertThat(server(1).status().stateString()).isEqualTo("Slave, Running");
        assertThat(server(1).status().replicationLag()).isZero();
        assertThat(server(0).status().replicationLag()).isEqualTo(-1);
        assertThat(server(2).status().serverId()).isEqualTo(3);
        assertThat(server(2).status().readOnly()).isTrue();
        assertThat(server(0).status().version()).contains("MariaDB");
        assertThat(monitor.diagnostics()).containsEntry("primary", servers.get(0).name());
    }

    @Test
    void aReplicaWhoseReplicationStopsLosesSlave() throws SQLException {
        awaitInitialRoles();
        sql(topology.replicas().get(0), "STOP SLAVE");
        awaitState(server(1), s -> s.isRunning() && !s.isSlave(), Duration.ofSeconds(3), "running without Slave");
        assertThat(server(1).status().detail()).contains("stopped");
        assertThat(server(2).status().isSlave()).isTrue();
        sql(topology.replicas().get(0), "START SLAVE");
        awaitState(server(1), ServerStatus::isSlave, Duration.ofSeconds(3), "Slave again");
    }

    @Test
    void aKilledReplicaIsDownWithinTwoIntervalsAndComesBack() {
        awaitInitialRoles();
        MariaDbNode replica = topology.replicas().get(1);
        long killed = System.nanoTime();
        replica.kill9();
        awaitState(server(2), s -> !s.isRunning(), INTERVAL.multipliedBy(2).plusMillis(500), "Down");
        long tookMs = (System.nanoTime() - killed) / 1_000_000;
        assertThat(tookMs).isLessThan(INTERVAL.multipliedBy(2).plusMillis(500).toMillis());
        assertThat(server(2).status().detail()).isNotEmpty();
        assertThat(server(2).status().serverId()).isEqualTo(3); // last known value is kept
        assertThat(server(0).status().isMaster()).isTrue();
        replica.start();
        awaitState(server(2), ServerStatus::isSlave, Duration.ofSeconds(5), "Slave after restart");
    }

    @Test
    void readOnlyOnThePrimaryRemovesItsMasterStatusUntilTurnedOff() throws SQLException {
        awaitInitialRoles();
        sql(topology.primary(), "SET GLOBAL read_only=1");
        awaitState(server(0), s -> s.isRunning() && !s.isMaster(), Duration.ofSeconds(3), "running without Master");
        // with no primary there are no replicas either
        awaitState(server(1), s -> !s.isSlave(), Duration.ofSeconds(3), "without Slave");
        sql(topology.primary(), "SET GLOBAL read_only=0");
        awaitInitialRoles();
    }

    @Test
    void aDownPrimaryWithRunningReplicasStaysThePrimary() {
        awaitInitialRoles();
        topology.primary().kill9();
        awaitState(server(0), s -> !s.isRunning(), Duration.ofSeconds(3), "Down");
        // replicas keep Slave while they still point at the (sticky) primary
        try {
            Thread.sleep(INTERVAL.toMillis() * 4); // past failcount=2 ticks
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(server(1).status().isSlave()).isTrue();
        assertThat(server(0).status().detail()).contains("primary is down");
        assertThat(monitor.diagnostics()).containsEntry("primary", servers.get(0).name());
        topology.primary().start();
        awaitState(server(0), ServerStatus::isMaster, Duration.ofSeconds(5), "Master after restart");
    }
}
