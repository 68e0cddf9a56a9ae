package dev.sluice.modules.namedserverfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamException;
import dev.sluice.api.config.ParamValues;
import dev.sluice.api.filter.FilterParameterException;
import dev.sluice.api.query.Hint;
import dev.sluice.api.query.HintType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedServerFilterConfigTest {

    /** Values parsed through the module's own spec, as the configuration loader does. */
    static ParamValues values(String... keyValues) throws ParamException {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Param<?> p = NamedServerFilterConfig.SPEC.find(keyValues[i]).orElseThrow();
            map.put(p.name(), p.parse(keyValues[i + 1]));
        }
        return ParamValues.of(map);
    }

    private static List<Hint> route(NamedServerFilterConfig c, String sql) {
        return NamedServerFilterSession.hintsFor(c, sql);
    }

    @Test
    void matchingStatementGetsANamedServerHint() throws Exception {
        NamedServerFilterConfig c = NamedServerFilterConfig.from(values("match01", "/FROM\\s+reports/",
                "target01", "server2"));
        assertThat(route(c, "select * from reports where id = 1"))
                .containsExactly(Hint.apply(HintType.ROUTE_TO_NAMED_SERVER, "server2", ""));
        assertThat(route(c, "select * from orders")).isEmpty();
    }

    @Test
    void pairsAreTriedInNumberOrderAndTheFirstMatchWins() throws Exception {
        NamedServerFilterConfig c = NamedServerFilterConfig.from(values("match02", "orders", "target02", "server3",
                "match01", "select", "target01", "->slave", "match", "insert", "server", "->master"));
        assertThat(route(c, "SELECT * FROM orders")).extracting(Hint::type).containsExactly(HintType.ROUTE_TO_SLAVE);
        assertThat(route(c, "DELETE FROM orders")).extracting(Hint::name).containsExactly("server3");
        assertThat(route(c, "INSERT INTO t VALUES (1)")).extracting(Hint::type)
                .containsExactly(HintType.ROUTE_TO_MASTER);
        assertThat(route(c, "UPDATE t SET a = 1")).isEmpty();
    }

    @Test
    void severalServersGiveOneHintEachInOrder() throws Exception {
        NamedServerFilterConfig c = NamedServerFilterConfig.from(values("match05", "x", "target05", "a, b"));
        assertThat(route(c, "x")).extracting(Hint::name).containsExactly("a", "b");
    }

    @Test
    void caseOptionMakesMatchingCaseSensitive() throws Exception {
        NamedServerFilterConfig ignore = NamedServerFilterConfig.from(values("match01", "select", "target01", "s"));
        NamedServerFilterConfig exact = NamedServerFilterConfig.from(values("match01", "select", "target01", "s",
                "options", "case"));
        assertThat(route(ignore, "SELECT 1")).hasSize(1);
        assertThat(route(exact, "SELECT 1")).isEmpty();
        assertThat(route(exact, "select 1")).hasSize(1);
    }

    @Test
    void aPatternWithoutItsTargetIsRefusedNamingIt() throws Exception {
        ParamValues v = values("match03", "x");
        assertThatThrownBy(() -> NamedServerFilterConfig.from(v)).isInstanceOf(FilterParameterException.class)
                .hasMessageContaining("target03")
                .satisfies(e -> assertThat(((FilterParameterException) e).parameter()).isEqualTo("match03"));
        ParamValues legacy = values("server", "s1");
        assertThatThrownBy(() -> NamedServerFilterConfig.from(legacy))
                .satisfies(e -> assertThat(((FilterParameterException) e).parameter()).isEqualTo("server"));
    }

    @Test
    void aSectionWithoutAnyPairIsRefused() {
        assertThatThrownBy(() -> NamedServerFilterConfig.from(ParamValues.empty()))
                .isInstanceOf(FilterParameterException.class).hasMessageContaining("at least one");
    }

    @Test
    void badRegexAndUnsupportedTargetsAreRefusedByTheParameterCheck() {
        assertThatThrownBy(() -> values("match01", "select (")).isInstanceOf(ParamException.class)
                .hasMessageContaining("invalid regular expression");
        assertThatThrownBy(() -> values("target01", "->all")).isInstanceOf(ParamException.class)
                .hasMessageContaining("->all");
        assertThatThrownBy(() -> values("target01", "a b")).isInstanceOf(ParamException.class);
    }

    @Test
    void specDeclaresTwentyFivePairsAndTheLegacyOnes() {
        assertThat(NamedServerFilterConfig.SPEC.contains("match25")).isTrue();
        assertThat(NamedServerFilterConfig.SPEC.contains("target25")).isTrue();
        assertThat(NamedServerFilterConfig.SPEC.contains("match26")).isFalse();
        assertThat(NamedServerFilterConfig.SPEC.acceptedNames()).contains("match", "server", "source", "user",
                "options");
    }
}
