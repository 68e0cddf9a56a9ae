package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.FreePorts;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The global {@code passive} setting reaches the monitors: a Sluice started with {@code passive=true} does not
 * fail over a dead primary although {@code auto_failover=true}; {@code PATCH /v1/maxscale} with
 * {@code passive=false} makes it active, and it fails over within {@code failcount} ticks (the delay after
 * becoming active) plus the operation; patched back to {@code passive=true}, the monitor reports it.
 */
class FaultPassiveIT extends FaultCluster {
    private static AdminRest rest;

    @BeforeAll
    static void start() throws Exception {
        start("pas", "monitor_interval=300ms\nbackend_connect_timeout=1s\nbackend_read_timeout=1s\nfailcount=2\n"
                + "auto_failover=true\nfailover_timeout=20s\n", "",
                "passive=true\nadmin_port=" + FreePorts.allocate() + "\n");
        rest = new AdminRest(sluice.server.adminPort());
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> sluice.server.server("db1").status()
                .isMaster() && sluice.server.server("db2").status().isSlave()
                && sluice.server.server("db3").status().isSlave())).isTrue();
    }

    @Test
    void aPassiveSluiceDoesNotFailOverUntilPatchedActive() throws Exception {
        assertThat(sluice.server.passive()).isTrue();
        topology.primary().kill9();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> !sluice.server.server("db1").status()
                .isRunning())).as("the monitor sees db1 down").isTrue();
        // failcount=2 × 300 ms would have failed over long before this
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
            assertThat(masterOtherThan("db1")).as("no failover while passive").isNull();
            Thread.sleep(100);
        }

        rest.expect(204, "PATCH", "/v1/maxscale", AdminRest.parameters("\"passive\":false"));
        assertThat(sluice.server.passive()).isFalse();
        long patched = System.nanoTime();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(30), () -> masterOtherThan("db1") != null))
                .as("failover once active").isTrue();
        System.out.printf("FaultPassiveIT: %s promoted %d ms after passive=false%n", masterOtherThan("db1"),
                (System.nanoTime() - patched) / 1_000_000);

        rest.expect(204, "PATCH", "/v1/maxscale", AdminRest.parameters("\"passive\":true"));
        assertThat(sluice.server.passive()).isTrue();
        assertThat(rest.expect(200, "GET", "/v1/maxscale", null)).contains("\"passive\":true");
    }
}
