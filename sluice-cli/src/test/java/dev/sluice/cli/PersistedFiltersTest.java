package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.PersistedChanges;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A filter created, altered and linked at runtime is written under persistdir like any object and is back,
 * linked in the same order, after a restart; destroying it removes its file.
 */
class PersistedFiltersTest {
    @TempDir
    Path dir;

    private SluiceServer start(String cnf) throws Exception {
        ModuleRegistry modules = ModuleRegistry.load();
        return SluiceServer.start(PersistedChanges.load(ConfigLoader.parse(cnf, "test.cnf", modules), modules));
    }

    private static void ok(SluiceServer s, String... args) {
        CommandLine cl = CtlCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--port");
        all.add(Integer.toString(s.adminPort()));
        assertThat(cl.execute(all.toArray(new String[0]))).as(String.join(" ", args) + ": " + err).isZero();
    }

    @Test
    void runtimeFiltersSurviveARestart() throws Exception {
        Path persist = dir.resolve("persisted");
        String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nadmin_port=" + CtlRuntimeCommandsTest.freePort()
                + "\ndatadir=" + dir + "\npersistdir=" + persist + "\n\n"
                + "[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n"
                + "[RW]\ntype=service\nrouter=readwritesplit\nservers=db1\nuser=u\npassword=p\n\n"
                + "[RW-Listener]\ntype=listener\nservice=RW\nport=0\naddress=127.0.0.1\n";
        SluiceServer first = start(cnf);
        try {
            ok(first, "create", "filter", "Rewrite", "regexfilter", "match=/a(b)/", "replace=x$1");
            ok(first, "create", "filter", "Named", "namedserverfilter", "match01=reports", "target01=db1");
            ok(first, "alter", "filter", "Rewrite", "options=case");
            ok(first, "alter", "service", "RW", "filters=Named|Rewrite");
        } finally {
            first.stop(Duration.ZERO);
        }
        assertThat(Files.readString(persist.resolve("Rewrite.cnf"))).contains("[Rewrite]\ntype=filter")
                .contains("module=regexfilter").contains("options=case").contains("replace=x$1");
        assertThat(Files.readString(persist.resolve("RW.cnf"))).contains("filters=Named|Rewrite");

        SluiceServer second = start(cnf);
        try {
            assertThat(second.config().services().get("RW").filters()).containsExactly("Named", "Rewrite");
            assertThat(second.service("RW").snapshot().filters()).hasSize(2);
            assertThat(second.config().filters().get("Rewrite").values().asMap()).containsEntry("match", "/a(b)/");
            ok(second, "destroy", "filter", "Named", "--force");
            assertThat(persist.resolve("Named.cnf")).doesNotExist();
            assertThat(Files.readString(persist.resolve("RW.cnf"))).contains("filters=Rewrite")
                    .doesNotContain("Named");
        } finally {
            second.stop(Duration.ZERO);
        }
    }

    @Test
    void withoutPersistdirChangesGoUnderDatadirAndSurviveARestartAsInMaxScale() throws Exception {
        String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nadmin_port=" + CtlRuntimeCommandsTest.freePort()
                + "\ndatadir=" + dir + "\n\n[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n"
                + "[RW]\ntype=service\nrouter=readconnroute\nservers=db1\nuser=u\npassword=p\n\n"
                + "[RW-Listener]\ntype=listener\nservice=RW\nport=0\naddress=127.0.0.1\n";
        SluiceServer first = start(cnf);
        try {
            ok(first, "create", "server", "db9", "127.0.0.1", "3399");
            ok(first, "alter", "service", "RW", "max_connections", "7");
        } finally {
            first.stop(Duration.ZERO);
        }
        assertThat(dir.resolve("maxscale.cnf.d").resolve("db9.cnf")).exists();
        SluiceServer second = start(cnf);
        try {
            assertThat(second.config().servers()).containsKey("db9");
            assertThat(second.config().services().get("RW").values().asMap()).containsEntry("max_connections", 7L);
        } finally {
            second.stop(Duration.ZERO);
        }
        SluiceServer off = start(cnf.replace("threads=1\n", "threads=1\nload_persisted_configs=false\n"));
        try {
            assertThat(off.config().servers()).doesNotContainKey("db9");
        } finally {
            off.stop(Duration.ZERO);
        }
    }
}
