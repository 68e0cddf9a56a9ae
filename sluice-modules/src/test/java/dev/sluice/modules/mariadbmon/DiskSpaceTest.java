package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of disk_space_threshold; the real-server test is DiskSpaceIT (sluice-it). */
class DiskSpaceTest {

    @Test
    void parsesPathsAndTheWildcardAndRejectsMalformedEntries() {
        assertThat(DiskSpace.parse("disk_space_threshold", "/data:80, *:90"))
                .containsExactly(Map.entry("/data", 80), Map.entry("*", 90));
        assertThat(DiskSpace.parse("disk_space_threshold", "")).isEmpty();
        assertThatThrownBy(() -> DiskSpace.parse("disk_space_threshold", "/data"))
                .hasMessage("disk_space_threshold: '/data' in '/data': expected path:percent"
                        + " (for example '/var/lib/mysql:80,*:90')");
        assertThatThrownBy(() -> DiskSpace.parse("disk_space_threshold", "*:120"))
                .hasMessageContaining("the percent must be 0–100");
        assertThatThrownBy(() -> DiskSpace.parse("disk_space_threshold", "*:x"))
                .hasMessageContaining("the percent is not a number");
    }

    @Test
    void aNamedPathHasItsOwnLimitAndTheWildcardCoversTheRest() {
        List<DiskSpace.Disk> disks = List.of(new DiskSpace.Disk("/", 1000, 500), new DiskSpace.Disk("/data", 1000, 950));
        assertThat(DiskSpace.exhausted(disks, Map.of("/data", 96, "*", 40))).isEqualTo("/ 50% used, limit 40%");
        assertThat(DiskSpace.exhausted(disks, Map.of("/data", 90))).isEqualTo("/data 95% used, limit 90%");
        assertThat(DiskSpace.exhausted(disks, Map.of("/other", 1))).isEmpty();
    }

    @Test
    void theExhaustedPrimaryLosesMasterWithDiskSpaceOkAndAReplicaLosesSlave() {
        long master = StatusBit.RUNNING.mask() | StatusBit.MASTER.mask();
        long slave = StatusBit.RUNNING.mask() | StatusBit.SLAVE.mask();
        List<ServerStatus> in = List.of(new ServerStatus(master, -1, 1, false, "", "", "", ""),
                new ServerStatus(slave, 0, 2, true, "", "", "", ""), new ServerStatus(slave, 0, 3, true, "", "", "", ""));
        String[] exhausted = {"/ 50% used, limit 1%", "/ 50% used, limit 1%", ""};
        List<ServerStatus> out = DiskSpace.apply(in, exhausted, List.of("disk_space_ok"), List.of(), true);
        assertThat(out.get(0).stateString()).isEqualTo("Disk Space Exhausted, Running");
        assertThat(out.get(0).detail()).isEqualTo("master_conditions: disk space exhausted: / 50% used, limit 1%"
                + " (disk_space_ok)");
        assertThat(out.get(1).stateString()).isEqualTo("Disk Space Exhausted, Running");
        assertThat(out.get(2).stateString()).isEqualTo("Slave, Running");
        List<ServerStatus> kept = DiskSpace.apply(in, exhausted, List.of("none"), List.of(), false);
        assertThat(kept.get(0).stateString()).isEqualTo("Master, Disk Space Exhausted, Running");
        assertThat(kept.get(1).stateString()).isEqualTo("Slave, Disk Space Exhausted, Running");
    }
}
