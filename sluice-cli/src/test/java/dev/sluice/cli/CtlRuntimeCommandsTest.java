package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.core.Lifecycles.Kind;
import dev.sluice.server.core.ServerRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The write verbs of {@code sluice ctl} (create, alter, destroy, link, unlink, start, stop, reload, api
 * patch|post|delete, and list commands) in-process
 * against a running Sluice's admin API, with maxctrl's argument shapes; the effect is read back from the
 * running objects. The servers are unreachable: these tests are about the verbs, not the traffic.
 */
class CtlRuntimeCommandsTest {
    @TempDir
    static Path dir;
    static SluiceServer sluice;

    @BeforeAll
    static void start() throws Exception {
        String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nadmin_port=" + freePort() + "\ndatadir=" + dir
                + "\n\n[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n"
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

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
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
        return new Run(cl.execute(all), out.toString(), err.toString());
    }

    static void ok(String... args) {
        Run r = ctl(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
        assertThat(r.out()).contains("OK");
    }

    static boolean accepts(int port) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (java.net.ConnectException e) {
            return false;
        }
    }

    @Test
    void createAlterLinkUnlinkAndDestroyAServer() {
        ok("create", "server", "db7", "127.0.0.7", "3307", "persistpoolmax=3", "--services", "RO");
        ServerRuntime db7 = sluice.server("db7");
        assertThat(db7.address()).isEqualTo("127.0.0.7");
        assertThat(db7.port()).isEqualTo(3307);
        assertThat(db7.persistPoolMax()).isEqualTo(3);
        assertThat(sluice.service("RO").servers()).extracting(ServerRuntime::name).containsExactly("db1", "db7");

        ok("alter", "server", "db7", "persistpoolmax", "5", "rank=secondary");
        assertThat(db7.persistPoolMax()).isEqualTo(5);
        assertThat(db7.rank()).isEqualTo(1);

        ok("unlink", "service", "RO", "db7");
        assertThat(sluice.service("RO").servers()).extracting(ServerRuntime::name).containsExactly("db1");
        ok("link", "service", "RO", "db7");
        assertThat(sluice.service("RO").servers()).extracting(ServerRuntime::name).containsExactly("db1", "db7");

        Run inUse = ctl("destroy", "server", "db7");
        assertThat(inUse.exit()).isEqualTo(1);
        assertThat(inUse.err()).contains("HTTP 400").contains("service 'RO'");
        int released = sluice.lifecycles().releasedCount(Kind.SERVER);
        ok("destroy", "server", "db7", "--force");
        assertThat(sluice.server("db7")).isNull();
        assertThat(sluice.lifecycles().releasedCount(Kind.SERVER)).isEqualTo(released + 1);
    }

    @Test
    void createServiceAndListenerThenStopStartAndDestroy() throws Exception {
        ok("create", "service", "RW2", "readconnroute", "user=u", "password=p", "router_options=master",
                "--servers", "db1");
        assertThat(sluice.service("RW2").params().asMap()).containsKey("router_options");
        ok("create", "listener", "RW2", "RW2-Listener", "0", "--interface", "127.0.0.1");
        int port = sluice.listener("RW2-Listener").boundPort();
        assertThat(accepts(port)).isTrue();

        ok("stop", "listener", "RW2-Listener");
        assertThat(accepts(port)).isFalse();
        ok("start", "listener", "RW2-Listener");
        port = sluice.listener("RW2-Listener").boundPort();
        assertThat(accepts(port)).isTrue();
        ok("stop", "service", "RW2");
        assertThat(sluice.service("RW2").isStopped()).isTrue();
        ok("start", "service", "RW2");
        assertThat(sluice.service("RW2").isStopped()).isFalse();

        ok("alter", "service", "RW2", "router_options", "slave");
        assertThat(sluice.service("RW2").params().asMap().get("router_options")).asString().contains("slave");
        ok("reload", "service", "RW2");

        Run inUse = ctl("destroy", "service", "RW2");
        assertThat(inUse.exit()).isEqualTo(1);
        assertThat(inUse.err()).contains("listener 'RW2-Listener'");
        port = sluice.listener("RW2-Listener").boundPort();
        ok("destroy", "listener", "RW2", "RW2-Listener");
        assertThat(accepts(port)).isFalse();
        ok("destroy", "service", "RW2");
        assertThat(sluice.service("RW2")).isNull();
    }

    @Test
    void createStopStartAndDestroyAMonitor() {
        ok("create", "server", "dbm", "127.0.0.9", "3309");
        ok("create", "monitor", "Mon", "mariadbmon", "monitor_interval=1s", "--servers", "dbm",
                "--monitor-user", "u", "--monitor-password", "p");
        assertThat(sluice.monitors().get("Mon").isRunning()).isTrue();
        ok("stop", "monitor", "Mon");
        assertThat(sluice.monitors().get("Mon").isRunning()).isFalse();
        ok("start", "monitor", "Mon");
        assertThat(sluice.monitors().get("Mon").isRunning()).isTrue();
        ok("unlink", "monitor", "Mon", "dbm");
        assertThat(sluice.monitors().get("Mon").servers()).isEmpty();
        ok("destroy", "monitor", "Mon");
        assertThat(sluice.monitors()).doesNotContainKey("Mon");
        ok("destroy", "server", "dbm");
    }

    @Test
    void errorsExitOneWithTheServersDetail() {
        Run bad = ctl("create", "server", "dbx", "127.0.0.1", "notaport");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("HTTP 400").contains("'port'");
        Run unknown = ctl("alter", "service", "RO", "no_such_parameter", "1");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no_such_parameter");
        Run missing = ctl("destroy", "monitor", "NoSuch");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("HTTP 404");
        assertThat(ctl("create", "server", "dbx", "127.0.0.1", "3306", "nopair").err()).contains("not key=value");
        assertThat(sluice.server("dbx")).isNull();
    }

    // ---- alter user, api patch|post|delete, reload session(s), list commands

    static Run okRun(String... args) {
        Run r = ctl(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }

    @Test
    void listCommandsShowsTheCommandsModulesDeclare() throws Exception {
        Run list = okRun("list", "commands", "--tsv");
        assertThat(list.out()).containsPattern("(?m)^mariadbmon\t.*switchover.*failover.*rejoin")
                .contains("reset-replication").contains("release-locks").contains("fetch-cmd-result")
                .contains("cancel-cmd").contains("async-switchover").contains("switchover-force");

        JsonNode commands = AdminClient.MAPPER.readTree(okRun("api", "get", "maxscale/modules/mariadbmon",
                "/data/attributes/commands").out());
        JsonNode switchover = null;
        for (JsonNode c : commands) {
            if (c.get("id").asText().equals("switchover")) {
                switchover = c;
            }
        }
        assertThat(switchover).as("switchover in %s", commands).isNotNull();
        assertThat(switchover.get("type").asText()).isEqualTo("module_command");
        assertThat(switchover.at("/attributes/method").asText()).isEqualTo("POST");
        assertThat(switchover.at("/attributes/arg_min").asInt()).isEqualTo(1);
        assertThat(switchover.at("/attributes/arg_max").asInt()).isEqualTo(3);
        assertThat(switchover.at("/attributes/parameters/0/type").asText()).isEqualTo("MONITOR");
        assertThat(switchover.at("/attributes/parameters/1/type").asText()).isEqualTo("[SERVER]");
        assertThat(switchover.at("/attributes/parameters/1/description").asText()).contains("New primary");
        assertThat(switchover.at("/attributes/parameters/1/required").asBoolean()).isFalse();
        assertThat(switchover.at("/links/self").asText()).endsWith("/v1/maxscale/modules/mariadbmon/switchover/");
        assertThat(okRun("show", "commands", "mariadbmon", "--tsv").out())
                .contains("switchover\tMONITOR [SERVER] [SERVER]\tMONITOR - Monitor name; [SERVER] - New primary")
                .contains("rejoin\tMONITOR SERVER\t");
        JsonNode none = AdminClient.MAPPER.readTree(okRun("api", "get", "maxscale/modules/readconnroute",
                "/data/attributes/commands").out());
        assertThat(none.isArray()).isTrue();
        assertThat(none).isEmpty();
    }

    @Test
    void alterUserChangesThePassword() {
        okRun("create", "user", "erin", "first", "--type=admin");
        assertThat(ctl("list", "servers", "-u", "erin", "-p", "first").exit()).isZero();
        assertThat(okRun("alter", "user", "erin", "second").out()).contains("OK");
        assertThat(ctl("list", "servers", "-u", "erin", "-p", "second").exit()).isZero();
        Run old = ctl("list", "servers", "-u", "erin", "-p", "first");
        assertThat(old.exit()).isEqualTo(1);
        assertThat(old.err()).contains("HTTP 401");
        Run extra = ctl("alter", "user", "erin", "a", "b");
        assertThat(extra.exit()).isEqualTo(1);
        assertThat(extra.err()).contains("expected NAME PASSWORD");
        Run missing = ctl("alter", "user", "nobody", "x");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("HTTP 404");
        okRun("destroy", "user", "erin");
    }

    @Test
    void apiPostPatchAndDeleteSendRawDocuments() {
        okRun("api", "post", "users/inet",
                "{\"data\":{\"id\":\"frank\",\"type\":\"inet\","
                        + "\"attributes\":{\"password\":\"one\",\"account\":\"admin\"}}}");
        assertThat(ctl("list", "servers", "-u", "frank", "-p", "one").exit()).isZero();
        assertThat(okRun("api", "patch", "/v1/users/inet/frank", "{\"data\":{\"attributes\":{\"password\":\"two\"}}}")
                .out()).contains("OK");
        assertThat(ctl("list", "servers", "-u", "frank", "-p", "two").exit()).isZero();

        okRun("api", "patch", "servers/db1", "{\"data\":{\"attributes\":{\"parameters\":{\"persistpoolmax\":6}}}}");
        assertThat(sluice.server("db1").persistPoolMax()).isEqualTo(6);

        Run bad = ctl("api", "patch", "servers/db1", "{\"data\":");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("not a JSON document");
        Run refused = ctl("api", "patch", "servers/db1", "{\"data\":{\"attributes\":{\"parameters\":{\"nosuch\":1}}}}");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTP 400").contains("nosuch");

        assertThat(okRun("api", "delete", "users/inet/frank").out()).contains("OK");
        Run gone = ctl("api", "get", "users/inet/frank");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("HTTP 404");
    }

    @Test
    void reloadSessionsAndOneSession() {
        assertThat(okRun("reload", "sessions").out()).contains("OK");
        Run missing = ctl("reload", "session", "4242");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("HTTP 404").contains("4242");
        Run noId = ctl("reload", "session");
        assertThat(noId.exit()).isEqualTo(1);
        assertThat(noId.err()).contains("missing the session id");
        assertThat(okRun("api", "post", "sessions/restart").out()).contains("OK");
    }
}
