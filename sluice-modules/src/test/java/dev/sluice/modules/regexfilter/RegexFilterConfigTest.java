package dev.sluice.modules.regexfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamException;
import dev.sluice.api.config.ParamValues;
import dev.sluice.api.filter.FilterParameterException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegexFilterConfigTest {

    static RegexFilterConfig config(String... keyValues) throws ParamException {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Param<?> p = RegexFilterConfig.SPEC.find(keyValues[i]).orElseThrow();
            map.put(p.name(), p.parse(keyValues[i + 1]));
        }
        return RegexFilterConfig.from(ParamValues.of(map));
    }

    @Test
    void everyMatchIsReplaced() throws Exception {
        RegexFilterConfig c = config("match", "/old_table/", "replace", "new_table");
        assertThat(c.rewrite("select * from old_table join OLD_TABLE o")).isEqualTo(
                "select * from new_table join new_table o");
    }

    @Test
    void noMatchMeansNoRewrite() throws Exception {
        assertThat(config("match", "xyz", "replace", "abc").rewrite("select 1")).isNull();
    }

    @Test
    void groupsAreInsertedInPcre2Syntax() throws Exception {
        RegexFilterConfig c = config("match", "from (\\w+)\\.(?<t>\\w+)", "replace", "from ${1}_archive.$t");
        assertThat(c.rewrite("select * from db.orders")).isEqualTo("select * from db_archive.orders");
        assertThat(config("match", "(\\d+)", "replace", "$1$1").rewrite("select 7")).isEqualTo("select 77");
    }

    @Test
    void dollarDollarIsADollarAndBackslashesAreLiteral() throws Exception {
        assertThat(config("match", "price", "replace", "$$x\\n").rewrite("select price")).isEqualTo(
                "select $x\\n");
    }

    @Test
    void caseOptionMakesMatchingCaseSensitive() throws Exception {
        RegexFilterConfig c = config("match", "select", "replace", "SELECT", "options", "case");
        assertThat(c.rewrite("SELECT 1")).isNull();
        assertThat(c.rewrite("select 1")).isEqualTo("SELECT 1");
    }

    @Test
    void aReferenceToAMissingGroupIsRefusedNamingReplace() {
        assertThatThrownBy(() -> config("match", "(a)", "replace", "$2")).isInstanceOf(FilterParameterException.class)
                .hasMessageContaining("group 2")
                .satisfies(e -> assertThat(((FilterParameterException) e).parameter()).isEqualTo("replace"));
        assertThatThrownBy(() -> config("match", "a", "replace", "${nope}"))
                .isInstanceOf(FilterParameterException.class);
        assertThatThrownBy(() -> config("match", "a", "replace", "cost $")).isInstanceOf(FilterParameterException.class)
                .hasMessageContaining("not followed by a group");
    }

    @Test
    void aBadPatternIsRefusedByTheParameterCheck() {
        assertThatThrownBy(() -> config("match", "a[", "replace", "b")).isInstanceOf(ParamException.class)
                .hasMessageContaining("invalid regular expression");
    }

    @Test
    void emptyMatchesInsertBetweenCharacters() throws Exception {
        assertThat(config("match", "x*", "replace", "-").rewrite("ab")).isEqualTo("-a-b-");
    }
}
