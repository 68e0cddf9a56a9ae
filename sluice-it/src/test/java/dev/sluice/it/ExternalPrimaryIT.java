package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.api.server.StatusBit;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * "Slave of External Server" carried over on promotion, on real servers: the cluster's primary db1 replicates
 * (connection {@code 'ext'}) from a fourth MariaDB outside the monitor's servers. A switchover to db2 stops that
 * replication on db1 and db2 takes it over; after {@code kill -9} of db2 a failover hands it to the promoted
 * server, from what the monitor remembered while db2 ran. Each time a row written on the external server
 * arrives exactly once on every running cluster server. The steps run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalPrimaryIT extends FaultCluster {

    static MariaDbTopology external;

    @BeforeAll
    static void start() throws Exception {
        start("xp", "monitor_interval=200ms\nbackend_connect_timeout=1s\nbackend_read_timeout=1s\nfailcount=2\n"
                + "switchover_timeout=20s\nfailover_timeout=20s\n", "");
        external = MariaDbTopology.builder().replicas(0).namePrefix("xpext").start();
        try (Connection c = ext().rootConnection(); Statement s = c.createStatement()) {
            // its own server id and GTID domain: the cluster's servers must not take its events for their own
            s.execute("SET GLOBAL server_id=100");
            s.execute("SET GLOBAL gtid_domain_id=9");
            s.execute("SET SESSION gtid_domain_id=9");
            s.execute("SET SESSION server_id=100");
            s.execute("CREATE DATABASE xp");
            s.execute("CREATE TABLE xp.t (id INT PRIMARY KEY)");
            s.execute("INSERT INTO xp.t VALUES (1)");
        }
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CHANGE MASTER 'ext' TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + ext().port()
                    + ", MASTER_USER='" + MariaDbTopology.REPLICATION_USER + "', MASTER_PASSWORD='"
                    + MariaDbTopology.REPLICATION_PASSWORD + "', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1");
            s.execute("START SLAVE 'ext'");
        }
    }

    @AfterAll
    static void stopExternal() {
        if (external != null) {
            external.close();
            external = null;
        }
    }

    private static MariaDbNode ext() {
        return external.primary();
    }

    private static MariaDbNode db(int i) {
        return topology.nodes().get(i - 1);
    }

    private static void insertOnExternal(int id) throws SQLException {
        try (Connection c = ext().rootConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO xp.t VALUES (" + id + ")");
        }
    }

    /** Whether {@code node} has exactly the rows 1..{@code n} of xp.t. */
    private static boolean hasRows(MariaDbNode node, int n) {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(id), 0) FROM xp.t")) {
            rs.next();
            return rs.getInt(1) == n && rs.getLong(2) == (long) n * (n + 1) / 2;
        } catch (SQLException e) {
            return false;
        }
    }

    /** The Master_Port of {@code node}'s connection 'ext' with both threads running, or -1. */
    private static int externalSourcePort(MariaDbNode node) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW ALL SLAVES STATUS")) {
            while (rs.next()) {
                if ("ext".equals(rs.getString("Connection_name")) && "Yes".equals(rs.getString("Slave_IO_Running"))
                        && "Yes".equals(rs.getString("Slave_SQL_Running"))) {
                    return rs.getInt("Master_Port");
                }
            }
        }
        return -1;
    }

    private static boolean hasExternalConnection(MariaDbNode node) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW ALL SLAVES STATUS")) {
            while (rs.next()) {
                if ("ext".equals(rs.getString("Connection_name"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Each replication connection of {@code node} with its thread states and errors, for failure messages. */
    private static String replication(MariaDbNode node) {
        StringBuilder sb = new StringBuilder(node.name()).append(": ");
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW ALL SLAVES STATUS")) {
            while (rs.next()) {
                sb.append('\'').append(rs.getString("Connection_name")).append("' ").append(rs.getString("Master_Port"))
                        .append(" IO=").append(rs.getString("Slave_IO_Running")).append(" SQL=")
                        .append(rs.getString("Slave_SQL_Running")).append(' ').append(rs.getString("Last_IO_Error"))
                        .append(' ').append(rs.getString("Last_SQL_Error")).append("; ");
            }
        } catch (SQLException e) {
            sb.append(e.getMessage());
        }
        return sb.toString();
    }

    @Test
    @Order(1)
    void thePrimaryIsASlaveOfAnExternalServer() throws Exception {
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> sluice.server.server("db1").status()
                .isMaster() && sluice.server.server("db1").status().is(StatusBit.SLAVE_OF_EXTERNAL_MASTER)
                && sluice.server.server("db2").status().isSlave() && sluice.server.server("db3").status().isSlave()))
                .as(states()).isTrue();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20),
                () -> hasRows(db(1), 1) && hasRows(db(2), 1) && hasRows(db(3), 1))).isTrue();
    }

    @Test
    @Order(2)
    void aSwitchoverHandsTheExternalReplicationToTheNewPrimary() throws Exception {
        CommandResult r = monitor().command("switchover", List.of("db2", "db1"));
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(externalSourcePort(db(2))).isEqualTo(ext().port());
        assertThat(hasExternalConnection(db(1))).isFalse();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> sluice.server.server("db2").status()
                .isMaster() && sluice.server.server("db2").status().is(StatusBit.SLAVE_OF_EXTERNAL_MASTER)
                && !sluice.server.server("db1").status().is(StatusBit.SLAVE_OF_EXTERNAL_MASTER)))
                .as(states()).isTrue();
        insertOnExternal(2);
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20),
                () -> hasRows(db(1), 2) && hasRows(db(2), 2) && hasRows(db(3), 2)))
                .as("%s %s %s", replication(db(1)), replication(db(2)), replication(db(3))).isTrue();
    }

    @Test
    @Order(3)
    void aFailoverHandsItToThePromotedServer() throws Exception {
        db(2).kill9();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> !sluice.server.server("db2").status().isRunning())).isTrue();
        Thread.sleep(800); // past failcount ticks
        CommandResult r = monitor().command("failover", List.of());
        assertThat(r.ok()).as(r.message()).isTrue();
        String promoted = masterOtherThan("db2");
        assertThat(promoted).as(states()).isNotNull();
        MariaDbNode newPrimary = db(Integer.parseInt(promoted.substring(2)));
        MariaDbNode other = newPrimary == db(1) ? db(3) : db(1);
        assertThat(externalSourcePort(newPrimary)).isEqualTo(ext().port());
        assertThat(hasExternalConnection(other)).isFalse();
        insertOnExternal(3);
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> hasRows(newPrimary, 3) && hasRows(other, 3)))
                .as("%s %s %s", states(), replication(newPrimary), replication(other)).isTrue();
    }
}
