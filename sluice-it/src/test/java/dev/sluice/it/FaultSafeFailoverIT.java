package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code auto_failover=safe}: a primary killed while its replicas had not received its last transactions is
 * not replaced (the failover would lose them), and the log and diagnostics say why; once the replicas have
 * everything, killing the primary fails over as {@code auto_failover=true} does.
 */
class FaultSafeFailoverIT extends FaultCluster {

    @BeforeAll
    static void startCluster() throws Exception {
        start("fs", "monitor_interval=200ms\nfailcount=2\nauto_failover=safe\nreplication_user="
                + MariaDbTopology.REPLICATION_USER + "\nreplication_password=" + MariaDbTopology.REPLICATION_PASSWORD
                + "\n", "");
    }

    @Test
    void noFailoverWhileTheReplicasMissTransactionsThenAFailoverOnceTheyHaveThem() throws Exception {
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> sluice.server.server("db1").status()
                .isMaster())).as(states()).isTrue();
        // the replicas' IO threads keep trying (Connecting) with a wrong password: still replicas of db1 for the
        // monitor, but they receive nothing more
        replicationPassword("wrong");
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE test.safe (id INT PRIMARY KEY)");
            s.execute("INSERT INTO test.safe VALUES (1)");
        }
        Thread.sleep(600); // the monitor reads the primary's new gtid_binlog_pos
        topology.primary().kill9();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> String.valueOf(monitor().diagnostics()
                .get("last_operation")).contains("failover-safe"))).as("diagnostics: %s", monitor().diagnostics())
                .isTrue();
        assertThat(String.valueOf(monitor().diagnostics().get("last_operation"))).contains("would lose them");
        Thread.sleep(1000);
        assertThat(masterOtherThan("db1")).as("no replica promoted: %s", states()).isNull();

        topology.primary().start();
        replicationPassword(MariaDbTopology.REPLICATION_PASSWORD);
        topology.heal(); // the replicas catch up
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> sluice.server.server("db1").status()
                .isMaster())).as(states()).isTrue();
        Thread.sleep(600);
        topology.primary().kill9();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> masterOtherThan("db1") != null))
                .as("a replica that has everything is promoted: %s; %s", states(),
                        monitor().diagnostics().get("last_operation")).isTrue();
    }

    private static void replicationPassword(String password) throws Exception {
        for (MariaDbNode replica : topology.replicas()) {
            try (Connection c = replica.rootConnection(); Statement s = c.createStatement()) {
                s.execute("STOP SLAVE");
                s.execute("CHANGE MASTER TO MASTER_PASSWORD='" + password + "'");
                s.execute("START SLAVE");
            }
        }
    }
}
