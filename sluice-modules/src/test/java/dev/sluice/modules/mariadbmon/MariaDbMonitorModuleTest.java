package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleCommand;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MariaDbMonitorModuleTest {
    private final Module module = new MariaDbMonitorModule().modules().get(0);

    @Test
    void declaresExactlyTheCommandsTheMonitorRuns() {
        assertThat(module.commands()).extracting(ModuleCommand::name)
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(MariaDbMonitor.KNOWN.split(",\\s*")));
    }

    @Test
    void everyCommandTakesTheMonitorFirstAndDescribesItsArguments() {
        for (ModuleCommand c : module.commands()) {
            assertThat(c.parameters().get(0).type()).as(c.name()).isEqualTo("MONITOR");
            assertThat(c.parameters()).as(c.name()).allSatisfy(p -> assertThat(p.description()).isNotBlank());
        }
        ModuleCommand switchover = module.command("switchover");
        assertThat(switchover.minArguments()).isEqualTo(1);
        assertThat(switchover.maxArguments()).isEqualTo(3);
        assertThat(module.command("rejoin").minArguments()).isEqualTo(2);
        assertThat(module.command("fetch-cmd-result").method()).isEqualTo("GET");
    }
}
