package dev.sluice.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.config.ParamSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleRegistryTest {
    private final ModuleRegistry registry = FakeModules.REGISTRY;

    @Test
    void findsModulesByKindIgnoringCaseAndHonouringAliases() {
        assertThat(registry.find(ModuleKind.ROUTER, "ReadWriteSplit")).containsSame(FakeModules.READWRITESPLIT);
        assertThat(registry.find(ModuleKind.MONITOR, "MYSQLMON")).containsSame(FakeModules.MARIADBMON);
        assertThat(registry.find(ModuleKind.ROUTER, "mariadbmon")).isEmpty();
        assertThat(registry.find(ModuleKind.FILTER, "nosuchfilter")).isEmpty();
    }

    @Test
    void listsAllModulesAndThoseOfOneKind() {
        assertThat(registry.all()).hasSize(5); // the four given and the core's mariadbauth
        assertThat(registry.ofKind(ModuleKind.ROUTER))
                .containsExactly(FakeModules.READCONNROUTE, FakeModules.READWRITESPLIT);
        assertThat(registry.ofKind(ModuleKind.AUTHENTICATOR)).extracting(Module::name).containsExactly("mariadbauth");
    }

    @Test
    void rejectsTwoModulesOfOneKindAnsweringToTheSameName() {
        Module clash = new Module("other", List.of("mariadbmon"), ModuleKind.MONITOR, "1", "Clash.",
                ParamSpec.of(), new Object());
        Module sameNameOtherKind = new Module("mariadbmon", List.of(), ModuleKind.FILTER, "1", "Fine.",
                ParamSpec.of(), new Object());

        assertThatThrownBy(() -> ModuleRegistry.of(List.of(FakeModules.MARIADBMON, clash)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ModuleRegistry.of(List.of(FakeModules.MARIADBMON, sameNameOtherKind)).all()).hasSize(3);
    }

    @Test
    void loadUsesTheServiceLoader() {
        assertThat(ModuleRegistry.load().all()).allSatisfy(m -> assertThat(m.name()).isNotBlank());
    }
}
