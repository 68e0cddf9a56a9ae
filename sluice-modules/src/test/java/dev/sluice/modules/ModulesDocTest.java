package dev.sluice.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Module;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.ParameterReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/modules.md carries every built-in module's parameter reference, generated from the modules' specs
 * found through ServiceLoader. Fails when the doc is stale; {@code -Dsluice.docs.update=true} rewrites it.
 */
class ModulesDocTest {
    static final String BEGIN = "<!-- BEGIN GENERATED MODULE REFERENCE: ParameterReference.modulesMarkdown() -->\n";
    static final String END = "<!-- END GENERATED MODULE REFERENCE -->";

    @Test
    void builtInModulesAreFoundThroughServiceLoader() {
        ModuleRegistry registry = ModuleRegistry.load();
        assertThat(registry.all()).extracting(Module::name).contains("readconnroute", "mariadbmon");
    }

    @Test
    void moduleReferenceInTheDocsMatchesTheSpecs() throws Exception {
        List<Module> modules = ModuleRegistry.load().all().stream()
                .sorted(Comparator.comparing(Module::kind).thenComparing(Module::name)).toList();
        String expected = ParameterReference.modulesMarkdown(modules);
        Path doc = Path.of("..", "docs", "modules.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("marker in %s", doc).isNotNegative();
        assertThat(end).as("marker in %s", doc).isGreaterThan(begin);
        String actual = text.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("sluice.docs.update") && !actual.equals(expected)) {
            Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + expected + text.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("%s is out of date; run ModulesDocTest with -Dsluice.docs.update=true", doc)
                .isEqualTo(expected);
    }
}
