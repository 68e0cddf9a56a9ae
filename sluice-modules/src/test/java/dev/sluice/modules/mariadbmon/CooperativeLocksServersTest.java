package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.server.Server;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link CooperativeLocks} of two monitors against real servers: the first to take the locks is the primary
 * monitor, and when it dies without closing anything (its lock sessions just go silent) the servers end those
 * sessions after the lock session's {@code wait_timeout}, and the other monitor takes over.
 */
class CooperativeLocksServersTest {

    private static MariaDbTopology topology;

    @BeforeAll
    static void startTopology() {
        topology = MariaDbTopology.builder().replicas(2).namePrefix("cl").start();
    }

    @AfterAll
    static void closeTopology() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void aDeadPrimaryMonitorsLocksExpireAndTheOtherTakesOver() throws Exception {
        List<Server> servers = new ArrayList<>();
        for (MariaDbNode node : topology.nodes()) {
            servers.add(new FakeMonitorContext.FakeServer(node.name(), node.host(), node.port()));
        }
        MariaDbMonitorConfig config = MariaDbMonitorConfig.from(ParamValues.of(Map.of(
                "user", MariaDbTopology.MONITOR_USER, "password", MariaDbTopology.MONITOR_PASSWORD,
                "monitor_interval", Duration.ofMillis(100), "backend_connect_timeout", Duration.ofMillis(300),
                "backend_read_timeout", Duration.ofMillis(300))));
        int waitTimeout = CooperativeLocks.waitTimeoutSeconds(config, servers.size());
        assertThat(waitTimeout).isEqualTo(3);
        boolean[] running = {true, true, true};
        CooperativeLocks a = new CooperativeLocks(CooperativeLocks.Mode.MAJORITY_OF_ALL, servers, config);
        CooperativeLocks b = new CooperativeLocks(CooperativeLocks.Mode.MAJORITY_OF_ALL, servers, config);
        try {
            a.update(running, 0);
            b.update(running, 0);
            assertThat(a.isPrimaryMonitor()).isTrue();
            assertThat(b.isPrimaryMonitor()).isFalse();
            assertThat(b.describe()).containsEntry("state", "not primary monitor");
            b.update(running, 0);
            assertThat(b.masterLockedElsewhere(0)).as("b sees a's master lock on the primary").isTrue();

            // a dies: it neither ticks nor closes anything; b keeps ticking
            long died = System.nanoTime();
            long deadline = died + Duration.ofSeconds(20).toNanos();
            while (!b.isPrimaryMonitor() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                b.update(running, 0);
            }
            long tookMs = (System.nanoTime() - died) / 1_000_000;
            assertThat(b.isPrimaryMonitor()).as("b took over").isTrue();
            assertThat(tookMs).as("not before the servers ended a's sessions").isGreaterThanOrEqualTo(2_000)
                    .isLessThan(15_000);

            // a wakes up: its sessions are gone and b holds the locks
            a.update(running, 0);
            assertThat(a.isPrimaryMonitor()).isFalse();
            b.update(running, 0);
            assertThat(b.isPrimaryMonitor()).isTrue();
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void majorityOfRunningNeedsOnlyTheRunningServers() {
        List<Server> servers = new ArrayList<>();
        for (MariaDbNode node : topology.nodes()) {
            servers.add(new FakeMonitorContext.FakeServer(node.name(), node.host(), node.port()));
        }
        MariaDbMonitorConfig config = MariaDbMonitorConfig.from(ParamValues.of(Map.of(
                "user", MariaDbTopology.MONITOR_USER, "password", MariaDbTopology.MONITOR_PASSWORD)));
        // the monitor was told only the first server runs: one lock is a majority of the running ones
        boolean[] oneRunning = {true, false, false};
        try (CooperativeLocks running = new CooperativeLocks(CooperativeLocks.Mode.MAJORITY_OF_RUNNING, servers,
                config); CooperativeLocks all = new CooperativeLocks(CooperativeLocks.Mode.MAJORITY_OF_ALL,
                servers, config)) {
            all.update(oneRunning, 0);
            assertThat(all.isPrimaryMonitor()).as("1 of 3 is no majority of all").isFalse();
            running.update(oneRunning, 0);
            assertThat(running.isPrimaryMonitor()).as("1 of 1 running").isTrue();
        }
    }
}
