package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.server.StatusBit;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice ctl} verbs in-process against a real Sluice's admin API (servers unreachable: no backends). */
class CtlCommandTest {
    @TempDir
    static Path dir;
    static SluiceServer sluice;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nadmin_port=" + port + "\ndatadir=" + dir + "\n\n"
                + "[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n[db2]\ntype=server\naddress=127.0.0.2\nport=2\n\n"
                + "[RO]\ntype=service\nrouter=readconnroute\nrouter_options=slave\nservers=db1,db2\nuser=u\n"
                + "password=p\n\n[RO-Listener]\ntype=listener\nservice=RO\nport=0\naddress=127.0.0.1\n";
        sluice = SluiceServer.start(ConfigLoader.parse(cnf, "test.cnf", ModuleRegistry.load()));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.stop(Duration.ZERO);
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run ctl(String... args) {
        CommandLine cl = CtlCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--port";
        all[args.length + 1] = Integer.toString(sluice.adminPort());
        int exit = cl.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void listServersPrintsATableOfEveryServer() {
        Run r = ctl("list", "servers");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[1]).contains("Server").contains("Address").contains("State");
        assertThat(r.out()).containsPattern("│ db1 +│ 127\\.0\\.0\\.1 │ 1 +│ 0 +│ ")
                .containsPattern("│ db2 +│ 127\\.0\\.0\\.2 │ 2 +│");
        assertThat(lines).hasSize(6); // rule, header, rule, two rows, rule
    }

    @Test
    void listServicesAndListeners() {
        Run s = ctl("list", "services");
        assertThat(s.exit()).as(s.err()).isZero();
        assertThat(s.out()).containsPattern("│ RO +│ readconnroute │ 0 +│ 0 +│ db1, db2 │");
        Run l = ctl("list", "listeners");
        assertThat(l.out()).containsPattern("│ RO-Listener │ 0 +│ 127\\.0\\.0\\.1 │ Running │ RO +│");
        assertThat(ctl("list", "sessions").exit()).isZero();
        assertThat(ctl("list", "monitors").exit()).isZero();
    }

    @Test
    void showSetAndClear() throws Exception {
        Run show = ctl("show", "server", "db2");
        assertThat(show.exit()).isZero();
        assertThat(AdminClient.MAPPER.readTree(show.out()).at("/attributes/parameters/address").asText())
                .isEqualTo("127.0.0.2");
        assertThat(ctl("set", "server", "db2", "maintenance").exit()).isZero();
        assertThat(sluice.server("db2").status().is(StatusBit.MAINTENANCE)).isTrue();
        assertThat(ctl("list", "servers").out()).contains("Maintenance");
        assertThat(ctl("clear", "server", "db2", "maintenance").exit()).isZero();
        assertThat(sluice.server("db2").status().is(StatusBit.MAINTENANCE)).isFalse();
    }

    @Test
    void failuresExitNonZeroWithTheServersErrorText() {
        Run r = ctl("show", "server", "nosuch");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("HTTP 404").contains("nosuch");
        Run bad = ctl("list", "servers", "--password", "wrong");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("HTTP 401");
        assertThat(ctl("set", "server", "db1", "bogus").exit()).isEqualTo(2);
    }
}
