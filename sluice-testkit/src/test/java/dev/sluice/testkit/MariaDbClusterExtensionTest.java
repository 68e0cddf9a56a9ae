package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@MariaDbCluster(replicas = 1)
class MariaDbClusterExtensionTest {

    static MariaDbTopology staticTopology;
    MariaDbTopology instanceTopology;

    @Test
    void injectsTheSameTopologyIntoFieldsAndParameters(MariaDbTopology parameter) {
        assertThat(staticTopology).isNotNull();
        assertThat(instanceTopology).isSameAs(staticTopology);
        assertThat(parameter).isSameAs(staticTopology);
        assertThat(parameter.replicas()).hasSize(1);
    }

    @Test
    void healRestartsAStoppedReplicaAndReplication(MariaDbTopology topology) throws SQLException {
        MariaDbNode replica = topology.replicas().get(0);
        try (Connection c = replica.rootConnection(); Statement s = c.createStatement()) {
            s.execute("STOP SLAVE");
        }
        topology.primary().kill9();
        topology.heal();
        assertThat(topology.primary().isRunning()).isTrue();
        try (Connection c = replica.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("Slave_SQL_Running")).isEqualTo("Yes");
        }
    }
}
