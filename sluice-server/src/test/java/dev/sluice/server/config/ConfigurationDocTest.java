package dev.sluice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md carries the parameter reference generated from the specs. This test fails when the
 * two differ; run it with {@code -Dsluice.docs.update=true} to rewrite the generated part.
 */
class ConfigurationDocTest {
    static final String BEGIN = "<!-- BEGIN GENERATED PARAMETER REFERENCE: ParameterReference.markdown() -->\n";
    static final String END = "<!-- END GENERATED PARAMETER REFERENCE -->";

    @Test
    void parameterReferenceInTheDocsMatchesTheSpecs() throws Exception {
        Path doc = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("marker in %s: %s", doc, BEGIN).isNotNegative();
        assertThat(end).as("marker in %s: %s", doc, END).isGreaterThan(begin);
        String expected = ParameterReference.markdown();
        String actual = text.substring(begin + BEGIN.length(), end);

        if (Boolean.getBoolean("sluice.docs.update") && !actual.equals(expected)) {
            Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + expected + text.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(actual).as("%s is out of date; run this test with -Dsluice.docs.update=true", doc)
                .isEqualTo(expected);
    }

    @Test
    void everyCoreParameterHasARealDescription() {
        for (var spec : new dev.sluice.api.config.ParamSpec[] {GlobalParams.SPEC, ServerParams.SPEC,
                ServiceParams.SPEC, ListenerParams.SPEC, MonitorParams.SPEC, FilterParams.SPEC}) {
            for (var p : spec.params()) {
                assertThat(p.description()).as(p.name()).hasSizeGreaterThan(8).endsWith(".")
                        .doesNotContain("\n");
            }
        }
    }
}
