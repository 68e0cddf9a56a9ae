package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SwitchoverArgumentsTest {

    @Test
    void keyValueArgumentsBecomeThePositionalCommandAndTheMaintenanceFlag() {
        SwitchoverArguments a = SwitchoverArguments.parse("switchover",
                List.of("new_primary=db2", "old_primary_maint=1", "force=yes", "async=true"));
        assertThat(a.command()).isEqualTo("async-switchover-force");
        assertThat(a.positional()).containsExactly("db2", "");
        assertThat(a.oldPrimaryMaintenance()).isTrue();
        SwitchoverArguments b = SwitchoverArguments.parse("async-switchover", List.of("old_primary=db1"));
        assertThat(b.command()).isEqualTo("async-switchover");
        assertThat(b.positional()).containsExactly("", "db1");
        assertThat(b.oldPrimaryMaintenance()).isFalse();
    }

    @Test
    void unknownKeysBadBooleansAndPositionalArgumentsAreRefused() {
        assertThatThrownBy(() -> SwitchoverArguments.parse("switchover", List.of("primary=db2")))
                .hasMessageContaining("unknown argument 'primary'");
        assertThatThrownBy(() -> SwitchoverArguments.parse("switchover", List.of("force=maybe")))
                .hasMessageContaining("force=maybe is not a boolean");
        assertThatThrownBy(() -> SwitchoverArguments.parse("switchover", List.of("db2", "async=1")))
                .hasMessageContaining("'db2' is not key=value");
    }
}
