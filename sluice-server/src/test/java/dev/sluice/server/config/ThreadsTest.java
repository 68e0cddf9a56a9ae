package dev.sluice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The routing worker count SluiceServer starts: {@code threads}, capped by {@code threads_max} as in MaxScale. */
class ThreadsTest {
    private static int threads(String lines) throws ConfigException {
        return GlobalParams.threads(ConfigLoader.parse("[maxscale]\n" + lines, "t.cnf", ModuleRegistry.of(List.of()))
                .global().values());
    }

    @Test
    void threadsMaxCapsAConfiguredAndAnAutomaticCount() throws Exception {
        assertThat(threads("threads=8\n")).isEqualTo(8);
        assertThat(threads("threads=8\nthreads_max=3\n")).isEqualTo(3);
        assertThat(threads("threads=auto\nthreads_max=1\n")).isEqualTo(1);
        assertThat(threads("threads=2\nthreads_max=3\n")).isEqualTo(2);
    }
}
