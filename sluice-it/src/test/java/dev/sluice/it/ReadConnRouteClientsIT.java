package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * readconnroute basics through MySQL Connector/J (text and server-side prepared statements) and the
 * {@code mariadb} command-line client: router_options=master reaches the primary, slave the replicas (both of
 * them over several connections), a write through the slave service gets the replica's read-only error.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ReadConnRouteClientsIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    static final Set<Integer> REPLICA_PORTS = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        for (MariaDbNode r : topology.replicas()) {
            REPLICA_PORTS.add(r.port());
        }
        try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement()) {
            st.execute("DROP TABLE IF EXISTS test.rcrclients");
            st.execute("CREATE TABLE test.rcrclients (id INT PRIMARY KEY, v VARCHAR(20), sid INT)");
        }
        String all = SluiceFixture.serverNames(topology);
        sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "", true)
                + SluiceFixture.service("Write", "master", all, "Write-Listener", "")
                + SluiceFixture.service("Read", "slave", all, "Read-Listener", ""));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private static int port(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@port")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"MYSQL_TEXT", "MYSQL_SERVER_PREPARED"})
    void masterAndSlaveServicesThroughMySqlConnectorJ(Client client) throws Exception {
        int base = client.serverPrepared() ? 100 : 0;
        try (Connection w = sluice.connect(client, "Write-Listener", "test", "")) {
            assertThat(port(w)).isEqualTo(topology.primary().port());
            try (PreparedStatement ins = w.prepareStatement(
                    "INSERT INTO rcrclients (id, v, sid) VALUES (?, ?, @@server_id)")) {
                for (int i = base; i < base + 3; i++) {
                    ins.setInt(1, i);
                    ins.setString(2, "v" + i);
                    assertThat(ins.executeUpdate()).isEqualTo(1);
                }
            }
        }
        topology.waitForReplication(Duration.ofSeconds(30));
        List<Connection> open = new ArrayList<>();
        try {
            Set<Integer> ports = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                Connection r = sluice.connect(client, "Read-Listener", "test", "");
                open.add(r);
                ports.add(port(r));
                try (PreparedStatement sel = r.prepareStatement("SELECT v, sid FROM rcrclients WHERE id = ?")) {
                    sel.setInt(1, base + i % 3);
                    try (ResultSet rs = sel.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("v" + (base + i % 3));
                        assertThat(rs.getInt(2)).as("written on").isEqualTo(topology.primary().serverId());
                    }
                }
            }
            assertThat(ports).as("replicas behind the slave service").isEqualTo(REPLICA_PORTS);
            try (Statement st = open.get(0).createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate("INSERT INTO rcrclients VALUES (999, 'no', 0)"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1290))
                        .hasMessageContaining("read-only");
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    @Test
    void masterAndSlaveServicesThroughTheCommandLineClient() throws Exception {
        ExternalCommand w = ExternalCommand.mariadb(sluice.port("Write-Listener"),
                "SET @a = 5; SELECT @a, @@port; INSERT INTO rcrclients VALUES (500, 'cli', @@server_id)", null);
        assertThat(w.exit()).as(w.stderr()).isZero();
        assertThat(w.lines()).containsExactly("5\t" + topology.primary().port());

        topology.waitForReplication(Duration.ofSeconds(30));
        ExternalCommand r = ExternalCommand.mariadb(sluice.port("Read-Listener"),
                "SELECT @@port, v FROM rcrclients WHERE id = 500", null);
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.lines()).hasSize(1);
        String[] row = r.lines().get(0).split("\t");
        assertThat(Integer.parseInt(row[0])).isIn(REPLICA_PORTS);
        assertThat(row[1]).isEqualTo("cli");

        ExternalCommand denied = ExternalCommand.mariadb(sluice.port("Read-Listener"),
                "DELETE FROM rcrclients WHERE id = 500", null);
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.stderr()).contains("ERROR 1290 (HY000)").contains("--read-only");

        ExternalCommand missing = ExternalCommand.mariadb(sluice.port("Write-Listener"), "SELECT * FROM nope_rcr",
                null);
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.stderr()).contains("ERROR 1146 (42S02)").contains("nope_rcr");
    }
}
