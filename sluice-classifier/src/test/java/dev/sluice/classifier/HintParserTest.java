package dev.sluice.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.query.Hint;
import dev.sluice.api.query.HintAction;
import dev.sluice.api.query.HintType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HintParserTest {
    private static List<Hint> parse(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<Hint> hints = new ArrayList<>();
        HintParser.parse(bytes, 0, bytes.length, hints);
        return hints;
    }

    @Test
    void routeHints() {
        assertThat(parse("maxscale route to master")).containsExactly(Hint.apply(HintType.ROUTE_TO_MASTER, "", ""));
        assertThat(parse("maxscale route to slave")).containsExactly(Hint.apply(HintType.ROUTE_TO_SLAVE, "", ""));
        assertThat(parse("maxscale route to last")).containsExactly(Hint.apply(HintType.ROUTE_TO_LAST_USED, "", ""));
        assertThat(parse("sluice route to server db-2")).containsExactly(
                Hint.apply(HintType.ROUTE_TO_NAMED_SERVER, "db-2", ""));
    }

    @Test
    void parameterHintsAllowSpacesAroundTheEqualsSign() {
        assertThat(parse("maxscale max_replication_lag=10")).containsExactly(
                Hint.apply(HintType.PARAMETER, "max_replication_lag", "10"));
        assertThat(parse("maxscale max_replication_lag = 10 ")).containsExactly(
                Hint.apply(HintType.PARAMETER, "max_replication_lag", "10"));
    }

    @Test
    void namedHintStacks() {
        assertThat(parse("maxscale s1 prepare route to master")).containsExactly(
                new Hint(HintAction.PREPARE, "s1", HintType.ROUTE_TO_MASTER, "", ""));
        assertThat(parse("maxscale s1 begin")).containsExactly(new Hint(HintAction.BEGIN, "s1", HintType.NONE, "",
                ""));
        assertThat(parse("maxscale begin route to slave")).containsExactly(
                new Hint(HintAction.BEGIN, "", HintType.ROUTE_TO_SLAVE, "", ""));
        assertThat(parse("maxscale end")).containsExactly(new Hint(HintAction.END, "", HintType.NONE, "", ""));
    }

    @Test
    void malformedHintsAreIgnored() {
        assertThat(parse("maxscale")).isEmpty();
        assertThat(parse("maxscale route to")).isEmpty();
        assertThat(parse("maxscale route to server")).isEmpty();
        assertThat(parse("maxscale route to master now")).isEmpty();
        assertThat(parse("maxscale = =")).isEmpty();
        assertThat(parse("maxscale end now")).isEmpty();
    }

    @Test
    void hintsPrintInMaxScaleSyntax() {
        assertThat(new Hint(HintAction.PREPARE, "s1", HintType.PARAMETER, "max_replication_lag", "5"))
                .hasToString("s1 prepare max_replication_lag=5");
        assertThat(new Hint(HintAction.BEGIN, "", HintType.ROUTE_TO_NAMED_SERVER, "db1", ""))
                .hasToString("begin route to server db1");
    }
}
