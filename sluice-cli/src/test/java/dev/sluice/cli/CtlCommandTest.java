package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.server.StatusBit;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--port";
        all[args.length + 1] = Integer.toString(sluice.adminPort());
        CtlCommand.Result r = CtlCommand.run(all);
        return new Run(r.exit(), r.out(), r.err());
    }

    @Test
    void helpShowsTheOptionsAndEveryVerbHasItsOwnHelp() {
        CtlCommand.Result top = CtlCommand.run("--help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("--hosts").contains("--tsv").contains("--json").contains("create")
                .contains("classify");
        CtlCommand.Result list = CtlCommand.run("list", "-h");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("users").contains("threads");
        assertThat(CtlCommand.run("create", "user", "--help").out()).contains("--type");
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
        assertThat(show.out()).as("maxctrl's box of fields").contains("│ Address").contains("127.0.0.2")
                .startsWith("┌");
        Run json = ctl("show", "server", "db2", "--json");
        assertThat(AdminClient.MAPPER.readTree(json.out()).at("/attributes/parameters/address").asText())
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

    @Test
    void listUsersThreadsModulesFiltersAndCommands() {
        Run users = ctl("list", "users");
        assertThat(users.exit()).as(users.err()).isZero();
        assertThat(users.out()).containsPattern("│ admin +│ admin +│ ");
        Run threads = ctl("list", "threads");
        assertThat(threads.out()).contains("Sessions").containsPattern("│ 0 +│ Active +│ 0 +│");
        Run modules = ctl("list", "modules");
        assertThat(modules.out()).containsPattern("│ readconnroute +│ Router +│").containsPattern("│ maxscale +│ Core +│");
        Run filters = ctl("list", "filters");
        assertThat(filters.exit()).as(filters.err()).isZero();
        assertThat(filters.out()).contains("Filter").contains("Module"); // no filter module exists yet
        Run commands = ctl("list", "commands");
        assertThat(commands.exit()).as(commands.err()).isZero();
        assertThat(commands.out()).contains("Module").contains("Commands");
    }

    @Test
    void tsvIsTabSeparatedWithoutHeaderAndJsonIsTheApiData() throws Exception {
        Run tsv = ctl("list", "servers", "--tsv");
        assertThat(tsv.exit()).as(tsv.err()).isZero();
        String[] lines = tsv.out().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("db1\t127.0.0.1\t1\t0\t");
        assertThat(lines[1]).startsWith("db2\t127.0.0.2\t2\t");
        Run json = ctl("list", "servers", "--json");
        JsonNode data = AdminClient.MAPPER.readTree(json.out());
        assertThat(data.isArray()).isTrue();
        assertThat(data.at("/1/attributes/parameters/address").asText()).isEqualTo("127.0.0.2");
    }

    @Test
    void createUseAndDestroyUsersThroughTheCli() {
        assertThat(ctl("create", "user", "carol", "pw1").exit()).isZero();
        Run reading = ctl("list", "servers", "-u", "carol", "-p", "pw1");
        assertThat(reading.exit()).as(reading.err()).isZero();
        Run refused = ctl("set", "server", "db1", "drain", "-u", "carol", "-p", "pw1");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTP 403").contains("carol").contains("basic");
        assertThat(ctl("create", "user", "dave", "pw2", "--type=admin").exit()).isZero();
        assertThat(ctl("set", "server", "db1", "drain", "-u", "dave", "-p", "pw2").exit()).isZero();
        assertThat(ctl("clear", "server", "db1", "drain", "-u", "dave", "-p", "pw2").exit()).isZero();
        Run dup = ctl("create", "user", "carol", "x");
        assertThat(dup.exit()).isEqualTo(1);
        assertThat(dup.err()).contains("HTTP 400").contains("already exists");
        assertThat(ctl("show", "user", "carol", "--json").out()).contains("\"account\" : \"basic\"");
        assertThat(ctl("destroy", "user", "carol").exit()).isZero();
        assertThat(ctl("destroy", "user", "dave").exit()).isZero();
        assertThat(ctl("list", "servers", "-u", "carol", "-p", "pw1").err()).contains("HTTP 401");
        Run gone = ctl("destroy", "user", "carol");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("HTTP 404").contains("carol");
    }

    @Test
    void classifyApiGetAndShowMaxscale() throws Exception {
        Run c = ctl("classify", "UPDATE", "t1", "SET", "a=1");
        assertThat(c.exit()).as(c.err()).isZero();
        JsonNode p = AdminClient.MAPPER.readTree(c.out());
        assertThat(p.get("type_mask").asText()).contains("WRITE");
        assertThat(p.get("tables").toString()).contains("t1");
        Run api = ctl("api", "get", "servers/db1", "/data/attributes/parameters/port");
        assertThat(api.exit()).as(api.err()).isZero();
        assertThat(api.out().strip()).isEqualTo("1");
        assertThat(AdminClient.MAPPER.readTree(ctl("api", "get", "/v1/maxscale/threads").out()).at("/data/0/id")
                .asText()).isEqualTo("0");
        Run missing = ctl("api", "get", "nothing/here");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("HTTP 404");
        assertThat(AdminClient.MAPPER.readTree(ctl("show", "maxscale", "--json").out()).at("/attributes/parameters/threads")
                .asText()).isEqualTo("1");
    }

    @Test
    void severalHostsFanOutAndAFailingHostMakesTheExitCodeNonZero() throws Exception {
        String good = "127.0.0.1:" + sluice.adminPort();
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CtlCommand.Result both = CtlCommand.run("-h", good, "-h", good, "list", "servers", "--tsv");
        assertThat(both.exit()).as(both.err()).isZero();
        String[] lines = both.out().split("\n");
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).isEqualTo(good);
        assertThat(lines[3]).isEqualTo(good);
        assertThat(both.out()).containsPattern("(?s)db1\t.*db2\t.*db1\t.*db2\t");
        CtlCommand.Result oneDown = CtlCommand.run("--hosts", good + ",127.0.0.1:" + closed, "list", "servers");
        assertThat(oneDown.exit()).isEqualTo(1);
        assertThat(oneDown.out()).contains("db1");
        assertThat(oneDown.err()).contains("127.0.0.1:" + closed).contains("cannot reach");
    }
}
