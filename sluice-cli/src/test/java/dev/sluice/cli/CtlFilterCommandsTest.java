package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.cli.CtlRuntimeCommandsTest.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The filter verbs of {@code sluice ctl} in-process against a running Sluice's admin API: create, list, show,
 * alter, link through {@code alter service … filters=}, and destroy (refused while in use, forced with
 * {@code --force}). The effect is read back from the running configuration; FiltersIT covers the traffic.
 */
class CtlFilterCommandsTest {
    @TempDir
    static Path dir;
    static SluiceServer sluice;

    @BeforeAll
    static void start() throws Exception {
        String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nadmin_port=" + CtlRuntimeCommandsTest.freePort()
                + "\ndatadir=" + dir + "\n\n[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n"
                + "[RO]\ntype=service\nrouter=readconnroute\nrouter_options=slave\nservers=db1\nuser=u\n"
                + "password=p\n\n[RO-Listener]\ntype=listener\nservice=RO\nport=0\naddress=127.0.0.1\n";
        sluice = SluiceServer.start(ConfigLoader.parse(cnf, "test.cnf", ModuleRegistry.load()));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.stop(Duration.ZERO);
        }
    }

    /** Runs one verb against this class's Sluice (its admin port appended). */
    private static Run ctl(String... args) {
        CommandLine cl = CtlCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--port");
        all.add(Integer.toString(sluice.adminPort()));
        return new Run(cl.execute(all.toArray(new String[0])), out.toString(), err.toString());
    }

    private static void ok(String... args) {
        Run r = ctl(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
        assertThat(r.out()).contains("OK");
    }

    @Test
    void createShowAlterLinkAndDestroyAFilter() {
        ok("create", "filter", "Rewrite", "regexfilter", "match=/old_t/", "replace=new_t");
        assertThat(sluice.config().filters().get("Rewrite").values().asMap()).containsEntry("replace", "new_t");

        Run list = ctl("list", "filters", "--tsv");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("Rewrite").contains("regexfilter");
        Run show = ctl("show", "filter", "Rewrite");
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("\"match\"").contains("/old_t/");

        ok("alter", "filter", "Rewrite", "replace", "newer_t");
        assertThat(sluice.config().filters().get("Rewrite").values().asMap()).containsEntry("replace", "newer_t");

        ok("create", "filter", "Named", "namedserverfilter", "match01=reports", "target01=db1");
        ok("alter", "service", "RO", "filters=Named|Rewrite");
        assertThat(sluice.config().services().get("RO").filters()).containsExactly("Named", "Rewrite");
        assertThat(sluice.service("RO").snapshot().filters()).hasSize(2);

        Run inUse = ctl("destroy", "filter", "Named");
        assertThat(inUse.exit()).isEqualTo(1);
        assertThat(inUse.err()).contains("HTTP 400").contains("service 'RO'");
        ok("destroy", "filter", "Named", "--force");
        assertThat(sluice.config().filters()).doesNotContainKey("Named");
        assertThat(sluice.config().services().get("RO").filters()).containsExactly("Rewrite");
        assertThat(sluice.service("RO").snapshot().filters()).hasSize(1);
        ok("destroy", "filter", "Rewrite", "--force");
        assertThat(sluice.config().filters()).isEmpty();
    }

    @Test
    void theFilterModulesShowTheirParameterSpecs() {
        Run named = ctl("api", "get", "/v1/maxscale/modules/namedserverfilter");
        assertThat(named.exit()).as(named.err()).isZero();
        assertThat(named.out()).contains("\"module_type\"").contains("match25").contains("target25")
                .contains("\"regex\"").contains("ignorecase");
        Run regex = ctl("api", "get", "/v1/maxscale/modules/regexfilter");
        assertThat(regex.exit()).as(regex.err()).isZero();
        assertThat(regex.out()).contains("\"replace\"").contains("log_trace").doesNotContain("log_file");
    }

    @Test
    void badFilterVerbsExitNonZeroWithTheServersText() {
        Run unknown = ctl("create", "filter", "F", "nosuchfilter");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("HTTP 400").contains("nosuchfilter");
        Run badRegex = ctl("create", "filter", "F", "regexfilter", "match=a(", "replace=b");
        assertThat(badRegex.exit()).isEqualTo(1);
        assertThat(badRegex.err()).contains("match").contains("regular expression");
        assertThat(sluice.config().filters()).doesNotContainKey("F");
    }
}
