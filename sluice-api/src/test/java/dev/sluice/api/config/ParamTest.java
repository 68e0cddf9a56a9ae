package dev.sluice.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParamTest {
    private static final Param<Boolean> BOOL = Param.bool("b", false, "A flag.");
    private static final Param<Long> SIZE = Param.size("s", 0, "A size.");
    private static final Param<Duration> DURATION = Param.duration("d", Duration.ZERO, "A duration.");

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "yes", "Yes", "on", "1", " true "})
    void trueSpellingsParseAsTrue(String raw) throws Exception {
        assertThat(BOOL.parse(raw)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "no", "off", "OFF", "0"})
    void falseSpellingsParseAsFalse(String raw) throws Exception {
        assertThat(BOOL.parse(raw)).isFalse();
    }

    @Test
    void otherBooleanSpellingsAreRejectedWithTheAcceptedOnes() {
        assertThatThrownBy(() -> BOOL.parse("maybe")).isInstanceOf(ParamException.class)
                .hasMessage("'maybe' is not a boolean (expected: true, false, yes, no, on, off, 1, 0)");
    }

    @ParameterizedTest
    @CsvSource({"1024,1024", "1Ki,1024", "2Mi,2097152", "1Gi,1073741824", "1Ti,1099511627776", "1k,1000",
            "3M,3000000", "1G,1000000000", "1T,1000000000000", "64KiB,65536", "16 Mi,16777216"})
    void sizesTakeIecAndSiSuffixes(String raw, long bytes) throws Exception {
        assertThat(SIZE.parse(raw)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Mi", "12Qi", "-1", "1.5M", "99999999999Ti"})
    void malformedSizesAreRejected(String raw) {
        assertThatThrownBy(() -> SIZE.parse(raw)).isInstanceOf(ParamException.class);
    }

    @ParameterizedTest
    @CsvSource({"2h,7200000", "3m,180000", "3min,180000", "10s,10000", "250ms,250", "7,7000", "0s,0",
            "1H,3600000", "5 s,5000"})
    void durationsTakeHourMinuteSecondAndMillisecondUnits(String raw, long millis) throws Exception {
        assertThat(DURATION.parse(raw)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void durationErrorsNameTheProblem() {
        assertThatThrownBy(() -> DURATION.parse("10 days")).hasMessage("'10 days' has an unknown duration unit "
                + "'days' (expected: h, m, min, s or ms)");
        assertThatThrownBy(() -> DURATION.parse("soon")).hasMessageStartingWith("'soon' is not a duration");
        assertThatThrownBy(() -> DURATION.parse("-1s")).hasMessage("'-1s' is out of range (expected: at least "
                + "0ms)");
    }

    @Test
    void negativeDurationsAreAllowedWhenTheRangeSaysSo() throws Exception {
        Param<Duration> p = Param.duration("idle", Duration.ofSeconds(-1), "Idle time.").range(-1000,
                Long.MAX_VALUE);

        assertThat(p.parse("-1s")).isEqualTo(Duration.ofSeconds(-1));
        assertThatThrownBy(() -> p.parse("-2s")).isInstanceOf(ParamException.class);
    }

    @Test
    void durationRangeIsInMilliseconds() throws Exception {
        Param<Duration> p = Param.duration("interval", Duration.ofSeconds(2), "Interval.").range(100, 60_000);

        assertThat(p.parse("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> p.parse("99ms")).hasMessage("'99ms' is out of range (expected: 100ms to 60000ms)");
        assertThatThrownBy(() -> p.parse("2m")).isInstanceOf(ParamException.class);
    }

    @Test
    void countsAndIntegersRespectTheirRange() throws Exception {
        Param<Long> count = Param.count("c", 0, "A count.");
        Param<Long> port = Param.count("port", 3306, "A port.").range(1, 65535);
        Param<Long> integer = Param.integer("i", -1, "An integer.");

        assertThat(count.parse("42")).isEqualTo(42L);
        assertThat(integer.parse("-5")).isEqualTo(-5L);
        assertThatThrownBy(() -> count.parse("-1")).hasMessage("-1 is out of range (expected: at least 0)");
        assertThatThrownBy(() -> port.parse("70000")).hasMessage("70000 is out of range (expected: 1 to 65535)");
        assertThatThrownBy(() -> count.parse("4x")).hasMessage("'4x' is not a whole number");
    }

    @Test
    void enumerationsMatchIgnoringCaseAndReturnTheDeclaredSpelling() throws Exception {
        Param<String> p = Param.enumeration("mode", "a", List.of("fail_instantly", "fail_on_write"), "Mode.");

        assertThat(p.parse("FAIL_ON_WRITE")).isEqualTo("fail_on_write");
        assertThatThrownBy(() -> p.parse("never")).hasMessage("'never' is not one of fail_instantly, fail_on_write");
    }

    @Test
    void enumerationValueAliasesMapToTheDeclaredValue() throws Exception {
        Param<String> p = Param.enumeration("ssl_version", "MAX", List.of("MAX", "TLSv12", "TLSv13"), "TLS.")
                .valueAliases(Map.of("TLSv1.2", "TLSv12", "TLSv1.3", "TLSv13"));

        assertThat(p.parse("TLSv1.2")).isEqualTo("TLSv12");
        assertThat(p.parse("tlsv1.3")).isEqualTo("TLSv13");
        assertThatThrownBy(() -> p.valueAliases(Map.of("x", "nope"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enumListsAreCommaOrBarSeparated() throws Exception {
        Param<List<String>> p = Param.enumList("router_options", List.of("running"),
                List.of("master", "slave", "running"), "Roles.");

        assertThat(p.parse("master, slave")).containsExactly("master", "slave");
        assertThat(p.parse("slave|running")).containsExactly("slave", "running");
        assertThat(p.defaultValue()).containsExactly("running");
        assertThatThrownBy(() -> p.parse("master,primary")).hasMessage("'primary' is not one of master, slave, "
                + "running");
    }

    @Test
    void serverListsDropEmptyItemsAndSpaces() throws Exception {
        Param<List<String>> p = Param.serverList("servers", "Servers.");

        assertThat(p.parse(" db1 ,db2,, db3 ")).containsExactly("db1", "db2", "db3");
        assertThat(p.defaultValue()).isEmpty();
    }

    @Test
    void stringsAreStrippedAndKeptVerbatim() throws Exception {
        assertThat(Param.password("pw", "", "Password.").parse("  a#b=c ")).isEqualTo("a#b=c");
    }

    @Test
    void checksRunOnParsedValues() throws Exception {
        Param<String> p = Param.string("threads", "auto", "Threads.").check(v -> {
            if (!v.equals("auto") && !v.matches("\\d+")) {
                throw new ParamException("'" + v + "' is not a thread count");
            }
        });

        assertThat(p.parse("8")).isEqualTo("8");
        assertThatThrownBy(() -> p.parse("many")).hasMessage("'many' is not a thread count");
    }

    @Test
    void fluentMethodsReturnCopiesThatKeepEveryOtherProperty() {
        Param<Duration> base = Param.duration("wait_timeout", Duration.ZERO, "Idle limit.");
        Param<Duration> p = base.alias("connection_timeout").modifiable().mandatory().documentedDefault("none");

        assertThat(base.aliases()).isEmpty();
        assertThat(base.isModifiable()).isFalse();
        assertThat(p.aliases()).containsExactly("connection_timeout");
        assertThat(p.answersTo("connection_timeout")).isTrue();
        assertThat(p.answersTo("wait_timeout")).isTrue();
        assertThat(p.isModifiable()).isTrue();
        assertThat(p.isMandatory()).isTrue();
        assertThat(p.defaultText()).isEqualTo("none");
        assertThat(p.min()).isZero();
        assertThat(base.defaultText()).isEqualTo("0s");
    }

    @Test
    void formatWritesConfigurationSyntax() {
        assertThat(DURATION.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DURATION.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(DURATION.format(Duration.ofMinutes(5))).isEqualTo("5min");
        assertThat(DURATION.format(Duration.ofHours(8))).isEqualTo("8h");
        assertThat(DURATION.format(Duration.ofSeconds(-1))).isEqualTo("-1s");
        assertThat(SIZE.format(1024L)).isEqualTo("1024");
        assertThat(Param.serverList("s", "S.").format(List.of("a", "b"))).isEqualTo("a,b");
        assertThat(BOOL.format(null)).isEmpty();
    }

    @Test
    void formattedValuesParseBackToTheSameValue() throws Exception {
        for (Duration d : List.of(Duration.ofMillis(1500), Duration.ofSeconds(59), Duration.ofMinutes(3),
                Duration.ofHours(24))) {
            assertThat(DURATION.parse(DURATION.format(d))).isEqualTo(d);
        }
    }
}
