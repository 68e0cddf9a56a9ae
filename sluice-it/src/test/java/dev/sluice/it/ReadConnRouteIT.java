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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * readconnroute with the mariadbmon monitor over a primary and two replicas: router_options=master reaches
 * the primary, slave spreads connections over the replicas by least connections, a service with no eligible
 * server refuses clearly, and a replica killed mid-query fails only the sessions that used it.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ReadConnRouteIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        String all = SluiceFixture.serverNames(topology);
        sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "", true)
                + SluiceFixture.service("Write", "master", all, "Write-Listener", "")
                + SluiceFixture.service("Read", "slave", all, "Read-Listener", "")
                // db2 is a replica: a master-only service over it has nothing to route to
                + SluiceFixture.service("Nowhere", "master", "db2", "Nowhere-Listener", ""));
    }

    @AfterAll
    static void stop() {
        try {
            if (sluice != null) {
                sluice.close();
            }
        } finally {
            topology.heal(); // the cluster is shared: start what the kill test stopped
        }
    }

    static Connection connect(String listener) throws SQLException {
        return sluice.connect(listener, "app", "apppwd", "test", "");
    }

    static int serverId(Connection c) throws SQLException {
        return Integer.parseInt(CommandsIT.scalar(c, "SELECT @@server_id"));
    }

    @Test
    void masterConnectionsGoToThePrimary() throws Exception {
        MariaDbNode primary = topology.primary();
        for (int i = 0; i < 4; i++) {
            try (Connection c = connect("Write-Listener")) {
                assertThat(serverId(c)).isEqualTo(primary.serverId());
                assertThat(CommandsIT.scalar(c, "SELECT @@port")).isEqualTo(String.valueOf(primary.port()));
                assertThat(CommandsIT.scalar(c, "SELECT @@read_only")).isEqualTo("0");
            }
        }
    }

    @Test
    void slaveConnectionsSpreadOverTheReplicasByLeastConnections() throws Exception {
        List<Connection> open = new ArrayList<>();
        try {
            Map<Integer, Integer> perServer = new TreeMap<>();
            for (int i = 0; i < 6; i++) {
                Connection c = connect("Read-Listener");
                open.add(c);
                perServer.merge(serverId(c), 1, Integer::sum);
            }
            Map<Integer, Integer> expected = new TreeMap<>();
            for (MariaDbNode replica : topology.replicas()) {
                expected.put(replica.serverId(), 3);
            }
            assertThat(perServer).isEqualTo(expected);
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    @Test
    void aServiceWithoutAnEligibleServerRefusesWithAClearErrorInsteadOfHanging() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> connect("Nowhere-Listener").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1927); // not 2003: see ProxyError
                    assertThat(e.getSQLState()).isEqualTo("08S01");
                    assertThat(e.getMessage()).contains("No server is available");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aReplicaKilledMidQueryFailsOnlyItsOwnSessions() throws Exception {
        MariaDbNode victim = topology.replicas().get(0);
        MariaDbNode survivor = topology.replicas().get(1);
        List<Connection> onVictim = new ArrayList<>();
        List<Connection> onSurvivor = new ArrayList<>();
        try (Connection writer = connect("Write-Listener")) {
            for (int i = 0; i < 4; i++) {
                Connection c = connect("Read-Listener");
                (serverId(c) == victim.serverId() ? onVictim : onSurvivor).add(c);
            }
            assertThat(onVictim).hasSize(2);
            assertThat(onSurvivor).hasSize(2);

            CompletableFuture<Object> sleeping = CompletableFuture.supplyAsync(() -> {
                try (Statement st = onVictim.get(0).createStatement();
                     ResultSet rs = st.executeQuery("SELECT SLEEP(30)")) {
                    rs.next();
                    return rs.getInt(1);
                } catch (SQLException e) {
                    return e;
                }
            });
            Thread.sleep(300); // let the query reach the replica
            long start = System.nanoTime();
            victim.kill9();

            Object outcome = sleeping.get(15, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(outcome).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getErrorCode() + " " + e.getMessage())
                            .startsWith("1927 ").contains("Lost connection to backend server"));
            assertThatThrownBy(() -> CommandsIT.scalar(onVictim.get(1), "SELECT 1")).isInstanceOf(SQLException.class);

            for (Connection c : onSurvivor) {
                assertThat(serverId(c)).isEqualTo(survivor.serverId());
            }
            assertThat(serverId(writer)).isEqualTo(topology.primary().serverId());
            // new read sessions avoid the dead replica once the monitor has seen it
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(5),
                    () -> !sluice.server.server("db2").status().isUsable())).isTrue();
            for (int i = 0; i < 3; i++) {
                try (Connection c = connect("Read-Listener")) {
                    assertThat(serverId(c)).isEqualTo(survivor.serverId());
                }
            }
        } finally {
            for (Connection c : onVictim) {
                c.close();
            }
            for (Connection c : onSurvivor) {
                c.close();
            }
            topology.heal();
        }
    }
}
