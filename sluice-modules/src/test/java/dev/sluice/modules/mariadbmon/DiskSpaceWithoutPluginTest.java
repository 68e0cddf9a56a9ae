package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.Monitor;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * disk_space_threshold on servers without the DISKS plugin (the default of MariaDB 10.11): the monitor gives the
 * check up on them and publishes the roles as without a threshold — no server is marked exhausted or loses its
 * role. (With the plugin: DiskSpaceIT in sluice-it.)
 */
@MariaDbCluster(replicas = 2)
class DiskSpaceWithoutPluginTest {

    static MariaDbTopology topology;

    @Test
    void withoutTheDisksTableNothingIsMarkedAndTheRolesStay() {
        topology.heal();
        List<FakeMonitorContext.FakeServer> servers = new ArrayList<>();
        for (MariaDbNode node : topology.nodes()) {
            servers.add(new FakeMonitorContext.FakeServer(node.name(), node.host(), node.port()));
        }
        Monitor monitor = new MariaDbMonitor(new FakeMonitorContext(Map.of(
                "user", MariaDbTopology.MONITOR_USER, "password", MariaDbTopology.MONITOR_PASSWORD,
                "monitor_interval", Duration.ofMillis(200), "backend_connect_timeout", Duration.ofSeconds(1),
                "backend_read_timeout", Duration.ofSeconds(1), "failcount", 2L,
                "disk_space_threshold", "*:1", "disk_space_check_interval", Duration.ofMillis(200)), servers));
        monitor.start();
        try {
            int master = MonitorTests.awaitAny(servers, List.of(0), ServerStatus::isMaster, Duration.ofSeconds(10),
                    "Master");
            assertThat(master).isZero();
            MonitorTests.awaitAny(servers, List.of(1), ServerStatus::isSlave, Duration.ofSeconds(10), "Slave");
            MonitorTests.awaitAny(servers, List.of(2), ServerStatus::isSlave, Duration.ofSeconds(10), "Slave");
            MonitorTests.sleep(1000); // several disk checks due
            for (FakeMonitorContext.FakeServer s : servers) {
                assertThat(s.status().is(StatusBit.DISK_SPACE_EXHAUSTED)).as(s.name()).isFalse();
            }
            assertThat(servers.get(0).status().stateString()).isEqualTo("Master, Running");
            assertThat(servers.get(1).status().stateString()).isEqualTo("Slave, Running");
        } finally {
            monitor.stop();
        }
    }
}
