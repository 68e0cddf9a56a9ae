package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.config.ParamValues;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts of cooperative monitoring: majorities and the lock session's wait_timeout. */
class CooperativeLocksTest {

    @Test
    void majorityOfAllCountsEveryServerAndMajorityOfRunningOnlyTheRunningOnes() {
        assertThat(CooperativeLocks.majority(CooperativeLocks.Mode.MAJORITY_OF_ALL, 3, 3)).isEqualTo(2);
        assertThat(CooperativeLocks.majority(CooperativeLocks.Mode.MAJORITY_OF_ALL, 3, 1)).isEqualTo(2);
        assertThat(CooperativeLocks.majority(CooperativeLocks.Mode.MAJORITY_OF_ALL, 4, 4)).isEqualTo(3);
        assertThat(CooperativeLocks.majority(CooperativeLocks.Mode.MAJORITY_OF_RUNNING, 3, 1)).isEqualTo(1);
        assertThat(CooperativeLocks.majority(CooperativeLocks.Mode.MAJORITY_OF_RUNNING, 5, 2)).isEqualTo(2);
    }

    @Test
    void theModeIsParsedFromMaxScalesNames() {
        assertThat(CooperativeLocks.Mode.parse("majority_of_all")).isEqualTo(CooperativeLocks.Mode.MAJORITY_OF_ALL);
        assertThat(CooperativeLocks.Mode.parse("majority_of_running"))
                .isEqualTo(CooperativeLocks.Mode.MAJORITY_OF_RUNNING);
        assertThat(CooperativeLocks.Mode.parse("none")).isEqualTo(CooperativeLocks.Mode.NONE);
        assertThatThrownBy(() -> CooperativeLocks.Mode.parse("most")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLockSessionOutlivesTheLongestTickButNotMuchMore() {
        MariaDbMonitorConfig config = MariaDbMonitorConfig.from(ParamValues.of(Map.of(
                "monitor_interval", Duration.ofMillis(1000), "backend_connect_timeout", Duration.ofSeconds(1),
                "backend_read_timeout", Duration.ofSeconds(1))));
        // 1 s interval + 3 servers x (1 s + 1 s) = 7 s, plus one second of slack
        assertThat(CooperativeLocks.waitTimeoutSeconds(config, 3)).isEqualTo(8);
        MariaDbMonitorConfig fast = MariaDbMonitorConfig.from(ParamValues.of(Map.of(
                "monitor_interval", Duration.ofMillis(100), "backend_connect_timeout", Duration.ofMillis(100),
                "backend_read_timeout", Duration.ofMillis(100))));
        assertThat(CooperativeLocks.waitTimeoutSeconds(fast, 1)).isEqualTo(2);
    }
}
