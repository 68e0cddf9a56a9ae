package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server parameters mariadbmon reads: a server's own {@code monitoruser}/{@code monitorpw} replace the
 * monitor's credentials for it, and {@code private_address} is the address replication to it is recognised
 * by and set up with ({@code CHANGE MASTER TO MASTER_HOST}). The topology is private: a switchover reshapes it.
 */
class MonitorServerParamsIT {

    private static MariaDbTopology topology;

    @BeforeAll
    static void start() throws Exception {
        topology = MariaDbTopology.builder().replicas(2).namePrefix("sp").start();
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE USER 'mon3'@'%' IDENTIFIED BY 'mon3pwd'");
            s.execute("GRANT REPLICATION CLIENT, SLAVE MONITOR, BINLOG MONITOR, PROCESS ON *.* TO 'mon3'@'%'");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void aServersOwnMonitorUserReplacesTheMonitorsCredentials() throws Exception {
        String config = SluiceFixture.baseConfig(topology, "", true)
                .replace("[db2]\ntype=server\n", "[db2]\ntype=server\nmonitoruser=maxuser\nmonitorpw=wrong\n")
                .replace("[db3]\ntype=server\n", "[db3]\ntype=server\nmonitoruser=mon3\nmonitorpw=mon3pwd\n");
        try (SluiceFixture s = SluiceFixture.start(topology, config)) {
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> s.server.server("db2").status()
                    .stateString().contains("Auth Error"))).as(s.server.server("db2").status().stateString()).isTrue();
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> s.server.server("db3").status()
                    .isSlave())).isTrue();
            assertThat(SluiceFixture.processCount(topology.replicas().get(1), "mon3")).as("mon3 sessions on db3")
                    .isPositive();
            assertThat(SluiceFixture.processCount(topology.replicas().get(1), "maxuser"))
                    .as("maxuser sessions on db3").isZero();
            assertThat(s.server.server("db1").status().isMaster()).isTrue();
        }
    }

    @Test
    void privateAddressMatchesReplicationAndIsWhatReplicasAreSetUpWith() throws Exception {
        // db1 is "localhost" for Sluice; its replicas know it as 127.0.0.1, its private address
        String base = SluiceFixture.baseConfig(topology, "", true).replace("monitor_interval=200ms\n",
                "monitor_interval=200ms\nreplication_user=" + MariaDbTopology.REPLICATION_USER
                        + "\nreplication_password=" + MariaDbTopology.REPLICATION_PASSWORD + "\n");
        String config = base.replace("[db1]\ntype=server\naddress=127.0.0.1\n",
                "[db1]\ntype=server\naddress=localhost\nprivate_address=127.0.0.1\n");
        try (SluiceFixture s = SluiceFixture.start(topology, config)) {
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> s.server.server("db1").status()
                    .isMaster() && s.server.server("db2").status().isSlave())).as("db1 %s, db2 %s",
                    s.server.server("db1").status().stateString(), s.server.server("db2").status().stateString())
                    .isTrue();
            var monitor = s.server.monitors().get("Cluster").monitor();
            CommandResult away = monitor.command("switchover", List.of("db2", "db1"));
            assertThat(away.ok()).as(away.message()).isTrue();
            CommandResult back = monitor.command("switchover", List.of("db1", "db2"));
            assertThat(back.ok()).as(back.message()).isTrue();
            for (var replica : topology.replicas()) {
                try (Connection c = replica.rootConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SHOW SLAVE STATUS")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("Master_Host")).as("%s replicates from db1's private address",
                            replica.name()).isEqualTo("127.0.0.1");
                    assertThat(rs.getInt("Master_Port")).isEqualTo(topology.primary().port());
                }
            }
        }
        // without private_address db1's replicas point at a server the monitor does not know as db1
        try (SluiceFixture s = SluiceFixture.start(topology, base.replace("[db1]\ntype=server\naddress=127.0.0.1\n",
                "[db1]\ntype=server\naddress=localhost\n"))) {
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> s.server.server("db2").status()
                    .stateString().contains("Slave of External Server"))).as(s.server.server("db2").status()
                    .stateString()).isTrue();
        }
    }
}
