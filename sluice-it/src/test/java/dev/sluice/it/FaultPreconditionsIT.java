package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.testkit.MariaDbNode;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault test 6 of issue 6: cluster operations whose preconditions fail are refused with a message that says
 * why, and change nothing — a switchover to a server that is down, two operations at once, a failover when no
 * replica replicates with GTID. Through a real Sluice; the steps run in order (the last one breaks the cluster).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultPreconditionsIT extends FaultCluster {


    @BeforeAll
    static void start() throws Exception {
        start("pre", "monitor_interval=300ms\nbackend_connect_timeout=1s\nbackend_read_timeout=1s\nfailcount=2\n"
                + "switchover_timeout=20s\nfailover_timeout=20s\n", "");
        awaitRoles();
    }

    static void awaitRoles() throws Exception {
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> sluice.server.server("db1").status()
                .isMaster() && sluice.server.server("db2").status().isSlave()
                && sluice.server.server("db3").status().isSlave())).isTrue();
    }

    @Test
    @Order(1)
    void aSwitchoverToAServerThatIsDownIsRefused() throws Exception {
        MariaDbNode db3 = topology.replicas().get(1);
        db3.kill9();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> !sluice.server.server("db3").status().isRunning())).isTrue();
        CommandResult r = monitor().command("switchover", List.of("db3", "db1"));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("switchover: db3 cannot be promoted: it is down");
        assertThat(sluice.server.server("db1").status().isMaster()).isTrue();
        db3.start();
        awaitRoles();
    }

    @Test
    @Order(2)
    void aSecondOperationWhileOneRunsIsRefused() throws Exception {
        CommandResult queued = monitor().command("async-switchover", List.of("db2", "db1"));
        assertThat(queued.ok()).as(queued.message()).isTrue();
        CommandResult second = monitor().command("switchover", List.of("db3", "db1"));
        assertThat(second.ok()).isFalse();
        assertThat(second.message()).startsWith("switchover: refused: another operation (switchover) is");
        CommandResult result = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            result = monitor().command("fetch-cmd-result", List.of());
            if (!result.message().startsWith("fetch-cmd-result:")) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(result).isNotNull();
        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.message()).isEqualTo("switchover: db2 is the new primary (was db1)");
        CommandResult back = monitor().command("switchover", List.of("db1", "db2"));
        assertThat(back.ok()).as(back.message()).isTrue();
        awaitRoles();
    }

    @Test
    @Order(3)
    void aFailoverWhenNoReplicaHasGtidIsRefused() throws Exception {
        for (MariaDbNode replica : topology.replicas()) {
            try (Connection c = replica.rootConnection(); Statement s = c.createStatement()) {
                s.execute("STOP SLAVE");
                s.execute("CHANGE MASTER TO MASTER_USE_GTID=no");
                s.execute("START SLAVE");
            }
        }
        awaitRoles();
        topology.primary().kill9();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> !sluice.server.server("db1").status().isRunning())).isTrue();
        Thread.sleep(1_000); // past failcount
        CommandResult r = monitor().command("failover", List.of());
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("failover: no replica of db1 can be promoted:"
                + " db2: it does not replicate with GTID (Using_Gtid=No);"
                + " db3: it does not replicate with GTID (Using_Gtid=No)");
        assertThat(sluice.server.server("db2").status().isMaster()).isFalse();
        assertThat(sluice.server.server("db3").status().isMaster()).isFalse();
    }
}
