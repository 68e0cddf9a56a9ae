package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Multi-primary groups (MaxScale's "multimaster" cycles) on real servers: db1 and db2 replicate from each other
 * (circular GTID replication), db3 replicates from db1. The monitor chooses the writable member of the cycle as
 * the one Master, publishes the other member and db3 as Slaves, and readconnroute ({@code router_options=master})
 * and readwritesplit send writes to it; when the writable member changes, so does the Master. Switchover is
 * refused while the primary is in a cycle. The steps run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiPrimaryCycleIT extends FaultCluster {

    @BeforeAll
    static void start() throws Exception {
        start("cyc", "monitor_interval=200ms\nbackend_connect_timeout=1s\nbackend_read_timeout=1s\nfailcount=2\n",
                SluiceFixture.service("RC", "master", "db1,db2,db3", "RC-Listener", "")
                        + "[RWS]\ntype=service\nrouter=readwritesplit\ncluster=Cluster\nuser=maxuser\npassword=maxpwd\n"
                        + "\n[RWS-Listener]\ntype=listener\nservice=RWS\nport=0\naddress=127.0.0.1\n\n");
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS cyc");
            s.execute("CREATE TABLE IF NOT EXISTS cyc.t (id INT PRIMARY KEY, origin INT)");
            s.execute("GRANT ALL ON cyc.* TO '" + MariaDbTopology.APP_USER + "'@'%'");
        }
        topology.waitForReplication(Duration.ofSeconds(20));
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> roles("db1", "db2", "db3"))).isTrue();
    }

    private static MariaDbNode db(int i) {
        return topology.nodes().get(i - 1);
    }

    /** Whether {@code master} is the only Master and the two others are Slaves. */
    private static boolean roles(String master, String slave1, String slave2) {
        for (String name : List.of("db1", "db2", "db3")) {
            if (sluice.server.server(name).status().isMaster() != name.equals(master)) {
                return false;
            }
        }
        return sluice.server.server(slave1).status().isSlave() && sluice.server.server(slave2).status().isSlave();
    }

    private static void sql(MariaDbNode node, String statement) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** Inserts {@code id} through {@code listener} in a transaction; returns the port of the server that ran it. */
    private static int writeThrough(String listener, int id) throws SQLException {
        try (Connection c = sluice.connect(listener, MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD, "cyc",
                "connectTimeout=2000&socketTimeout=10000"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO cyc.t VALUES (" + id + ", @@server_id)");
            int port = SluiceFixture.serverPort(s);
            c.commit();
            return port;
        }
    }

    private static boolean hasRow(MariaDbNode node, int id) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM cyc.t WHERE id=" + id)) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    @Test
    @Order(1)
    void theWritableMemberOfACycleIsTheMaster() throws Exception {
        // close the cycle: db1 (the primary, writable) now also replicates from db2 (read-only)
        sql(db(1), "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + db(2).port() + ", MASTER_USER='"
                + MariaDbTopology.REPLICATION_USER + "', MASTER_PASSWORD='" + MariaDbTopology.REPLICATION_PASSWORD
                + "', MASTER_USE_GTID=current_pos, MASTER_CONNECT_RETRY=1");
        sql(db(1), "START SLAVE");
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> SluiceFixture.replicatesFrom(db(1), db(2))))
                .isTrue();
        // the monitor sees the cycle: db1 replicates from a monitored server, yet stays the Master
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> groupOf("db1") != null
                && groupOf("db1").equals(groupOf("db2")) && groupOf("db3") == null))
                .as("master_group in %s", monitor().diagnostics()).isTrue();
        Thread.sleep(600); // three more ticks: the role must hold, not flicker
        assertThat(roles("db1", "db2", "db3")).as(states()).isTrue();
        assertThat(writeThrough("RC-Listener", 1)).isEqualTo(db(1).port());
        assertThat(writeThrough("RWS-Listener", 2)).isEqualTo(db(1).port());
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> hasRow(db(2), 2) && hasRow(db(3), 2)))
                .isTrue();
    }

    @Test
    @Order(2)
    void whenAnotherMemberBecomesTheWritableOneItBecomesTheMaster() throws Exception {
        sql(db(2), "SET GLOBAL read_only=0");
        sql(db(1), "SET GLOBAL read_only=1");
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> roles("db2", "db1", "db3")))
                .as(states()).isTrue();
        assertThat(sluice.server.server("db1").status().stateString()).contains("Relay Master");
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> writeThrough("RC-Listener", 3) == db(2).port())).as(states()).isTrue();
        assertThat(writeThrough("RWS-Listener", 4)).isEqualTo(db(2).port());
        // the write on db2 goes round the cycle to db1 and on to db3
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> hasRow(db(1), 4) && hasRow(db(3), 4)))
                .isTrue();
    }

    @Test
    @Order(3)
    void switchoverIsRefusedWhileThePrimaryIsInACycle() {
        CommandResult r = monitor().command("switchover", List.of("db3"));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("switchover: the primary db2 is in a multi-primary group (db1, db2"
                + " replicate from each other); switchover and failover need a simple topology: break the cycle"
                + " first");
        assertThat(roles("db2", "db1", "db3")).as(states()).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static Object groupOf(String name) {
        List<Map<String, Object>> servers = (List<Map<String, Object>>) monitor().diagnostics().get("server_info");
        if (servers == null) {
            return null;
        }
        return servers.stream().filter(m -> name.equals(m.get("name"))).findFirst()
                .map(m -> m.get("master_group")).orElse(null);
    }
}
