package dev.sluice.modules.filtermatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SessionMatchTest {

    @Test
    void emptyUserAndSourceMatchEverySession() {
        assertThat(SessionMatch.of("", "").matches("app", "10.0.0.1")).isTrue();
    }

    @Test
    void userMustBeEqual() {
        SessionMatch m = SessionMatch.of("app", "");
        assertThat(m.matches("app", "10.0.0.1")).isTrue();
        assertThat(m.matches("App", "10.0.0.1")).isFalse();
        assertThat(m.matches("report", "10.0.0.1")).isFalse();
    }

    @Test
    void sourceListAcceptsPercentForWholeIpv4Octets() {
        SessionMatch m = SessionMatch.of("", "192.168.%.%, 10.0.0.7");
        assertThat(m.matches("x", "192.168.4.20")).isTrue();
        assertThat(m.matches("x", "10.0.0.7")).isTrue();
        assertThat(m.matches("x", "10.0.0.70")).isFalse();
        assertThat(m.matches("x", "192.169.4.20")).isFalse();
    }

    @Test
    void hostNamesAndSocketsCompareWhole() {
        SessionMatch m = SessionMatch.of("", "localhost");
        assertThat(m.matches("x", "localhost")).isTrue();
        assertThat(m.matches("x", "127.0.0.1")).isFalse();
    }

    @Test
    void userAndSourceMustBothMatch() {
        SessionMatch m = SessionMatch.of("app", "127.0.0.1");
        assertThat(m.matches("app", "127.0.0.1")).isTrue();
        assertThat(m.matches("app", "127.0.0.2")).isFalse();
        assertThat(m.matches("other", "127.0.0.1")).isFalse();
    }

    @Test
    void regexOptionsFollowMaxScale() {
        assertThat(FilterRegex.compile("/^select/", List.of("ignorecase")).matcher("SELECT 1").find()).isTrue();
        assertThat(FilterRegex.compile("^select", List.of("case")).matcher("SELECT 1").find()).isFalse();
        Pattern extended = FilterRegex.compile("^ SELECT \\s+ 1 # a comment", List.of("extended"));
        assertThat(extended.matcher("select 1").find()).isTrue();
    }
}
