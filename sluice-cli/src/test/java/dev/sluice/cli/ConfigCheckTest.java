package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sluice --config FILE --config-check} (MaxScale's {@code -c}): validates without starting anything and
 * exits 0, or 1 with every problem listed as {@code file:line: [section] key: message} — refused (not supported)
 * parameters included.
 */
class ConfigCheckTest {
    private static final String VALID = "[maxscale]\nthreads=1\nthreads_max=1\n\n[db1]\ntype=server\n"
            + "address=127.0.0.1\nport=3306\n\n[RO]\ntype=service\nrouter=readconnroute\nservers=db1\nuser=u\n"
            + "password=p\n\n[RO-L]\ntype=listener\nservice=RO\nport=4008\n";

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run check(String text, String flag) throws Exception {
        Path main = dir.resolve("sluice.cnf");
        Files.writeString(main, text);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new SluiceCommand()).execute("--config", main.toString(), flag);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void aValidConfigurationExitsZeroWithoutStarting() throws Exception {
        Run r = check(VALID.replace("threads=1\n", "threads=1\ndatadir=" + dir.resolve("data") + "\n"),
                "--config-check");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("is valid");
        assertThat(dir.resolve("data")).doesNotExist(); // nothing started, nothing written
    }

    @Test
    void problemsAreListedWithFileLineSectionAndKeyAndExitOne() throws Exception {
        String text = VALID.replace("threads_max=1\n", "threads_max=1\nadmin_oidc_url=https://idp.example\n")
                .replace("port=3306\n", "port=3306\nproxy_protocol=true\n") + "ssl_cipher=HIGH\nbogus_key=1\n";
        Run r = check(text, "-c");
        assertThat(r.exit()).isEqualTo(1);
        String file = dir.resolve("sluice.cnf").toString();
        assertThat(r.err()).contains("4 problem(s)")
                .contains(file + ":4: [maxscale] admin_oidc_url: not supported by Sluice")
                .contains(file + ":10: [db1] proxy_protocol: not supported by Sluice")
                .contains("[RO-L] ssl_cipher: not supported by Sluice")
                .contains("[RO-L] bogus_key: unknown parameter");
    }
}
