package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** readwritesplit hides the loss of a replica; the shared topology is healed afterwards. */
@MariaDbCluster(replicas = 2)
class ReadWriteSplitFailureIT {
    static MariaDbTopology topology;
    SluiceFixture sluice;

    @AfterEach
    void stopAndHeal() {
        if (sluice != null) {
            sluice.close();
        }
        topology.heal();
    }

    private SluiceFixture start(String serviceLines) throws Exception {
        sluice = SluiceFixture.start(topology, SluiceFixture.readWriteSplit(topology, serviceLines));
        return sluice;
    }


    private MariaDbNode node(int port) {
        for (MariaDbNode n : topology.nodes()) {
            if (n.port() == port) {
                return n;
            }
        }
        throw new IllegalStateException("no node on port " + port);
    }

    @Test
    void readsGoOnWhenTheirReplicaIsKilled() throws Exception {
        start("");
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("SET @kept = 'state'");
            int first = SluiceFixture.serverPort(st);
            MariaDbNode victim = node(first);
            assertThat(victim.isReplica()).isTrue();
            victim.kill9();
            for (int i = 0; i < 5; i++) {
                int now = SluiceFixture.serverPort(st);
                assertThat(now).isNotEqualTo(first);
                try (ResultSet rs = st.executeQuery("SELECT @kept")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("state");
                }
            }
            assertThat(st.executeUpdate("CREATE TABLE IF NOT EXISTS test.rws_failure (a INT)")).isZero();
        }
        Map<String, Object> d = sluice.server.service("RW").router().diagnostics();
        assertThat((Long) d.get("route_slave")).isPositive();
    }

    @Test
    void withNoReplicaLeftReadsGoToThePrimary() throws Exception {
        start("");
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            assertThat(SluiceFixture.serverPort(st)).isNotEqualTo(topology.primary().port());
            for (MariaDbNode r : topology.replicas()) {
                r.kill9();
            }
            assertThat(SluiceFixture.serverPort(st)).isEqualTo(topology.primary().port());
            assertThat(SluiceFixture.serverPort(st)).isEqualTo(topology.primary().port());
        }
    }
}
