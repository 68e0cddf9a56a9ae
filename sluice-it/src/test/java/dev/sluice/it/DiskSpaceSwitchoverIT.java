package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.server.StatusBit;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code switchover_on_low_disk_space=true} on real servers: the primary db1 has {@code disk_space_threshold=*:1}
 * (always exceeded); the monitor switches over to a replica whose disk is fine, and db1, now a replica, stays
 * without a role while its disk is exhausted.
 */
class DiskSpaceSwitchoverIT extends FaultCluster {

    @BeforeAll
    static void start() throws Exception {
        DiskSpaceIT.startWithFullDisk("dsw", "db1", "switchover_on_low_disk_space=true\n", "");
    }

    @Test
    void aPrimaryWithAnExhaustedDiskIsSwitchedOverToAHealthyReplica() throws Exception {
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> "db2".equals(masterOtherThan("db1"))))
                .as(states()).isTrue();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> SluiceFixture.replicatesFrom(
                topology.nodes().get(0), topology.nodes().get(1)))).isTrue();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> DiskSpaceIT.status("db1")
                .is(StatusBit.DISK_SPACE_EXHAUSTED) && !DiskSpaceIT.status("db1").isSlave()
                && !DiskSpaceIT.status("db1").isMaster() && DiskSpaceIT.status("db3").isSlave())).as(states()).isTrue();
        Thread.sleep(1500); // more ticks and disk checks: no further switchover
        assertThat(DiskSpaceIT.status("db2").isMaster()).as(states()).isTrue();
        assertThat(((java.util.Map<?, ?>) monitor().diagnostics().get("operations"))
                .get("switchover_on_low_disk_space")).isEqualTo(1L);
    }
}
