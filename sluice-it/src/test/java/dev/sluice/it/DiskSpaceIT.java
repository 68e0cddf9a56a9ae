package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code disk_space_threshold} / {@code disk_space_check_interval} on real servers with the {@code DISKS}
 * plugin ({@code plugin_load_add=disks}): db2 gets its own threshold {@code *:1}, which any real disk exceeds.
 * db2 is published {@code Disk Space Exhausted} without the Slave role, a readconnroute
 * {@code router_options=slave} service reads only from db3, and a failover promotes db3 although db2 is listed
 * first (a tie would go to db2). The steps run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiskSpaceIT extends FaultCluster {

    @BeforeAll
    static void start() throws Exception {
        startWithFullDisk("disk", "db2", "", SluiceFixture.service("RO", "slave", "db1,db2,db3", "RO-Listener", ""));
    }

    /**
     * A primary and two replicas with the DISKS plugin and FILE for the monitor user, and a Sluice whose server
     * {@code fullServer} has {@code disk_space_threshold=*:1}; {@code monitorLines} go to the monitor.
     */
    static void startWithFullDisk(String prefix, String fullServer, String monitorLines, String moreSections)
            throws Exception {
        topology = MariaDbTopology.builder().replicas(2).namePrefix(prefix).cnfLine("plugin_load_add=disks").start();
        for (MariaDbNode node : topology.nodes()) {
            try (Connection c = node.rootConnection(); Statement s = c.createStatement()) {
                s.execute("SET sql_log_bin=0");
                s.execute("GRANT FILE ON *.* TO '" + MariaDbTopology.MONITOR_USER + "'@'%'");
            }
        }
        String cnf = SluiceFixture.baseConfig(topology, "", true)
                .replace("monitor_interval=200ms\n", "monitor_interval=200ms\nbackend_connect_timeout=1s\n"
                        + "backend_read_timeout=1s\nfailcount=2\nfailover_timeout=20s\nswitchover_timeout=20s\n"
                        + "disk_space_check_interval=1s\n" + monitorLines)
                .replace("[" + fullServer + "]\ntype=server\n", "[" + fullServer + "]\ntype=server\n"
                        + "disk_space_threshold=*:1\n")
                + moreSections;
        sluice = SluiceFixture.start(topology, cnf);
    }

    static ServerStatus status(String name) {
        return sluice.server.server(name).status();
    }

    @Test
    @Order(1)
    void aServerAboveItsThresholdIsExhaustedAndNotARouteForReads() throws Exception {
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(15), () -> status("db2").is(StatusBit.DISK_SPACE_EXHAUSTED)
                && status("db1").isMaster() && status("db3").isSlave())).as(states()).isTrue();
        assertThat(status("db2").isSlave()).as(states()).isFalse();
        assertThat(status("db2").isRunning()).isTrue();
        assertThat(status("db2").stateString()).isEqualTo("Disk Space Exhausted, Running");
        assertThat(status("db2").detail()).startsWith("disk space exhausted: ").contains("% used, limit 1%")
                .contains("maintenance_on_low_disk_space");
        assertThat(status("db1").is(StatusBit.DISK_SPACE_EXHAUSTED)).isFalse();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            try (Connection c = sluice.connect("RO-Listener", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD,
                    "test", "connectTimeout=2000&socketTimeout=10000"); Statement s = c.createStatement()) {
                ports.add(SluiceFixture.serverPort(s));
            }
        }
        assertThat(ports).containsExactly(topology.nodes().get(2).port());
    }

    @Test
    @Order(2)
    void failoverDoesNotPromoteTheExhaustedServer() throws Exception {
        topology.primary().kill9();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> !status("db1").isRunning())).isTrue();
        Thread.sleep(800); // past failcount ticks
        CommandResult r = monitor().command("failover", List.of());
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(r.message()).isEqualTo("failover: db3 is the new primary (was db1)");
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> status("db3").isMaster()
                && status("db2").is(StatusBit.DISK_SPACE_EXHAUSTED) && !status("db2").isMaster()))
                .as(states()).isTrue();
    }
}
