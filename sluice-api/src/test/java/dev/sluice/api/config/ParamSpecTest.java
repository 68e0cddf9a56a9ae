package dev.sluice.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ParamSpecTest {
    private static final Param<Duration> WAIT = Param.duration("wait_timeout", Duration.ZERO, "Idle limit.")
            .alias("connection_timeout");
    private static final Param<Long> MAX = Param.count("max_connections", 0, "Limit.");

    @Test
    void findsParametersByNameAndAlias() {
        ParamSpec spec = ParamSpec.of(WAIT, MAX);

        assertThat(spec.find("wait_timeout")).containsSame(WAIT);
        assertThat(spec.find("connection_timeout")).containsSame(WAIT);
        assertThat(spec.contains("connection_timeout")).isTrue();
        assertThat(spec.find("nope")).isEmpty();
        assertThat(spec.params()).containsExactly(WAIT, MAX);
        assertThat(spec.acceptedNames()).containsExactly("wait_timeout", "max_connections", "connection_timeout");
    }

    @Test
    void rejectsNamesAndAliasesDeclaredTwice() {
        assertThatThrownBy(() -> ParamSpec.of(MAX, Param.count("max_connections", 1, "Again.")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParamSpec.of(WAIT, Param.bool("connection_timeout", false, "Clash.")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plusAddsTheOtherSpecsParametersWithoutOverridingItsOwn() {
        Param<Long> routerMax = Param.count("max_connections", 5, "Router's own.");
        Param<Boolean> lazy = Param.bool("lazy_connect", false, "Lazy.");

        ParamSpec combined = ParamSpec.of(WAIT, MAX).plus(ParamSpec.of(routerMax, lazy));

        assertThat(combined.params()).containsExactly(WAIT, MAX, lazy);
    }

    @Test
    void valuesAnswerDefaultsForUnsetParameters() {
        ParamValues values = ParamValues.of(java.util.Map.of("max_connections", 7L));

        assertThat(values.get(MAX)).isEqualTo(7L);
        assertThat(values.get(WAIT)).isEqualTo(Duration.ZERO);
        assertThat(values.isSet(WAIT)).isFalse();
        assertThat(values.with(WAIT, Duration.ofSeconds(3)).get(WAIT)).isEqualTo(Duration.ofSeconds(3));
        assertThat(values.isSet(WAIT)).isFalse();
    }
}
