package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * readwritesplit master_reconnection when the monitor moves the primary role (a mariadbmon switchover) under an
 * idle session: its next write goes to the new primary, with the session's state. On a private topology, since a
 * switchover reshapes it.
 */
@ExtendWith(LeakCheck.class)
class ReadWriteSplitFailoverSwitchoverIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        topology = MariaDbTopology.builder().replicas(2).namePrefix("rwsw").start();
        sluice = SluiceFixture.start(topology, SluiceFixture.readWriteSplit(topology,
                "delayed_retry=true\ndelayed_retry_timeout=60s"));
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE test.switchover_write (id INT PRIMARY KEY, v VARCHAR(40))");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void aSessionFollowsASwitchoverToTheNewPrimaryWithItsState() throws Exception {
        MariaDbNode newPrimary = topology.replicas().get(0);
        var monitor = sluice.server.monitors().get("Cluster").monitor();
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("SET @tag = 'kept'");
            st.executeUpdate("INSERT INTO test.switchover_write VALUES (1, CONCAT(@tag, ':', @@port))");
            CommandResult result = monitor.command("switchover", List.of("db2", "db1"));
            assertThat(result.ok()).as(result.message()).isTrue();
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(30),
                    () -> sluice.server.server("db2").status().isMaster())).isTrue();
            // the next write goes to the new primary (the session's replica connection to it, promoted)
            st.executeUpdate("INSERT INTO test.switchover_write VALUES (2, CONCAT(@tag, ':', @@port))");
            try (ResultSet rs = st.executeQuery("SELECT v FROM test.switchover_write WHERE id = 2 FOR UPDATE")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("kept:" + newPrimary.port());
            }
        }
    }
}
