package dev.sluice.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.monitor.Monitor;
import dev.sluice.api.monitor.MonitorFactory;
import dev.sluice.api.router.Router;
import dev.sluice.api.router.RouterFactory;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.core.Lifecycles.Kind;
import dev.sluice.server.core.ServiceRuntime;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime create/alter/destroy/link/unlink over real HTTP against a Sluice with a fake router and monitor
 * (the servers are unreachable): status codes, precise errors, no change on error, snapshots, release counts.
 * Client sessions across these changes are covered by the ITs (RuntimeChangesIT, RuntimeChangesStressIT).
 */
class ObjectMutationsTest {
    static final Module ROUTER = new Module("fakerouter", List.of(), ModuleKind.ROUTER, "1", "a fake router",
            ParamSpec.of(Param.bool("fake_flag", true, "A flag.").modifiable(),
                    Param.count("fake_count", 7, "A count.")),
            (RouterFactory) ctx -> new Router() {
                @Override
                public dev.sluice.api.router.RouterSession newSession(
                        dev.sluice.api.router.RouterSessionContext session) {
                    throw new UnsupportedOperationException("no sessions in this test");
                }
            });
    static final Module MONITOR = new Module("fakemon", List.of(), ModuleKind.MONITOR, "1", "a fake monitor",
            ParamSpec.of(Param.bool("fake_option", false, "An option.").modifiable()),
            (MonitorFactory) ctx -> new Monitor() {
                final AtomicBoolean running = new AtomicBoolean();

                @Override
                public void start() {
                    running.set(true);
                }

                @Override
                public void stop() {
                    running.set(false);
                }

                @Override
                public boolean hasTicked() {
                    return true;
                }

                @Override
                public Map<String, Object> diagnostics() {
                    return Map.of("servers", ctx.servers().size());
                }
            });

    @TempDir
    static Path dir;
    static SluiceServer sluice;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        String cnf = "[maxscale]\nthreads=2\nusers_refresh_time=0s\nadmin_port=" + AdminServerTest.freePort()
                + "\ndatadir=" + dir + "\n\n[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n"
                + "[db2]\ntype=server\naddress=127.0.0.1\nport=2\n\n"
                + "[Mon]\ntype=monitor\nmodule=fakemon\nservers=db2\nuser=u\npassword=p\n\n"
                + "[Svc]\ntype=service\nrouter=fakerouter\nservers=db1\nuser=u\npassword=secret\nfake_count=3\n\n"
                + "[Svc-Listener]\ntype=listener\nservice=Svc\nport=0\naddress=127.0.0.1\n";
        sluice = SluiceServer.start(ConfigLoader.parse(cnf, "test.cnf", ModuleRegistry.of(List.of(ROUTER, MONITOR))));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.stop(Duration.ZERO);
            for (Kind k : Kind.values()) {
                assertThat(sluice.lifecycles().releasedCount(k)).as("%s released exactly once each: %s", k,
                        sluice.lifecycles()).isEqualTo(sluice.lifecycles().createdCount(k));
            }
        }
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:mariadb".getBytes(StandardCharsets.UTF_8)));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void expect(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    }

    /** The error detail of a request that must fail with {@code status} and leave the configuration alone. */
    static String refused(int status, String method, String path, String body) throws Exception {
        SluiceConfig before = sluice.config();
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
        assertThat(sluice.config()).as("configuration unchanged after a refused request").isSameAs(before);
        return JsonApi.MAPPER.readTree(r.body()).at("/errors/0/detail").asText();
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JsonApi.MAPPER.readTree(r.body());
    }

    static String server(String name, int port, String relationships) {
        return "{\"data\":{\"id\":\"" + name + "\",\"type\":\"servers\",\"attributes\":{\"parameters\":{"
                + "\"address\":\"127.0.0.1\",\"port\":" + port + "}}" + (relationships == null ? ""
                : ",\"relationships\":" + relationships) + "}}";
    }

    static boolean accepts(int port) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    @Test
    void serverIsCreatedAlteredAndDestroyedAndReleasedOnce() throws Exception {
        int released = sluice.lifecycles().releasedCount(Kind.SERVER);
        expect(204, "POST", "/v1/servers", server("srvA", 3307, null));
        assertThat(get("/v1/servers/srvA").at("/data/attributes/parameters/port").asInt()).isEqualTo(3307);
        expect(204, "PATCH", "/v1/servers/srvA",
                "{\"data\":{\"attributes\":{\"parameters\":{\"persistpoolmax\":5,\"rank\":\"secondary\"}}}}");
        assertThat(sluice.server("srvA").persistPoolMax()).isEqualTo(5);
        assertThat(sluice.server("srvA").rank()).isEqualTo(1);
        assertThat(refused(400, "PATCH", "/v1/servers/srvA",
                "{\"data\":{\"attributes\":{\"parameters\":{\"port\":3308}}}}"))
                .contains("'port'").contains("cannot be modified at runtime");
        expect(204, "DELETE", "/v1/servers/srvA", null);
        expect(404, "GET", "/v1/servers/srvA", null);
        assertThat(sluice.server("srvA")).isNull();
        assertThat(sluice.lifecycles().releasedCount(Kind.SERVER)).isEqualTo(released + 1);
    }

    @Test
    void badRequestsAnswerPreciselyAndChangeNothing() throws Exception {
        assertThat(refused(400, "POST", "/v1/servers", server("db1", 3307, null))).contains("already exists");
        assertThat(refused(400, "POST", "/v1/servers", server("Svc", 3307, null))).contains("service named 'Svc'");
        assertThat(refused(400, "POST", "/v1/servers", "{\"data\":{\"id\":\"x1\",\"attributes\":{\"parameters\":"
                + "{\"address\":\"127.0.0.1\",\"prot\":3306}}}}")).contains("'prot'").contains("unknown parameter")
                .contains("port");
        assertThat(refused(400, "POST", "/v1/servers", "{\"data\":{\"id\":\"x1\",\"attributes\":{\"parameters\":"
                + "{\"address\":\"127.0.0.1\",\"port\":\"abc\"}}}}")).contains("'port'").contains("abc");
        assertThat(refused(400, "POST", "/v1/servers", "{\"data\":{\"id\":\"x1\",\"attributes\":{\"parameters\":"
                + "{\"port\":3306}}}}")).contains("address");
        assertThat(refused(400, "POST", "/v1/servers", "{\"data\":{\"id\":")).contains("Malformed JSON");
        refused(400, "POST", "/v1/servers", "{\"data\":{\"id\":\"tls1\",\"attributes\":{\"parameters\":"
                + "{\"address\":\"127.0.0.1\",\"ssl\":true,\"ssl_verify_peer_certificate\":true,\"ssl_ca\":\"/nonexistent/ca.pem\"}}}}");
        assertThat(sluice.server("tls1")).as("a server whose TLS context cannot be built is not created").isNull();
        assertThat(refused(400, "POST", "/v1/servers", "{\"data\":{\"attributes\":{}}}")).contains("data.id");
        assertThat(refused(400, "POST", "/v1/servers", server("x1", 3306,
                "{\"services\":{\"data\":[{\"id\":\"NoSuch\",\"type\":\"services\"}]}}"))).contains("NoSuch");
        assertThat(refused(400, "PATCH", "/v1/services/Svc",
                "{\"data\":{\"attributes\":{\"parameters\":{\"fake_flag\":\"maybe\"}}}}")).contains("'fake_flag'");
        assertThat(refused(400, "POST", "/v1/listeners", "{\"data\":{\"id\":\"L9\",\"attributes\":{\"parameters\":"
                + "{\"port\":0,\"service\":\"NoSuch\"}}}}")).contains("service").contains("NoSuch");
        assertThat(refused(404, "PATCH", "/v1/services/NoSuch", "{\"data\":{}}")).contains("NoSuch");
        assertThat(refused(404, "DELETE", "/v1/monitors/NoSuch", null)).contains("NoSuch");
        assertThat(refused(400, "POST", "/v1/services", "{\"data\":{\"id\":\"S9\",\"attributes\":{\"router\":"
                + "\"nosuchrouter\",\"parameters\":{\"user\":\"u\",\"password\":\"p\"}}}}")).contains("nosuchrouter");
    }

    @Test
    void serverInUseIsDestroyedOnlyWithForceWhichUnlinksItFirst() throws Exception {
        expect(204, "POST", "/v1/servers", server("srvB", 3309,
                "{\"services\":{\"data\":[{\"id\":\"Svc\",\"type\":\"services\"}]}}"));
        assertThat(sluice.service("Svc").servers()).extracting(s -> s.name()).contains("db1", "srvB");
        assertThat(refused(400, "DELETE", "/v1/servers/srvB", null)).contains("service 'Svc'").contains("force");
        assertThat(sluice.server("srvB")).isNotNull();
        expect(204, "DELETE", "/v1/servers/srvB?force=yes", null);
        assertThat(sluice.server("srvB")).isNull();
        assertThat(sluice.service("Svc").servers()).extracting(s -> s.name()).containsExactly("db1");
        assertThat(sluice.config().services().get("Svc").servers()).containsExactly("db1");
    }

    @Test
    void linkAndUnlinkChangeTheServiceServersForNewSessionsOnly() throws Exception {
        expect(204, "POST", "/v1/servers", server("srvC", 3310, null));
        ServiceRuntime.Snapshot before = sluice.service("Svc").snapshot();
        expect(204, "PATCH", "/v1/services/Svc/relationships/servers",
                "{\"data\":[{\"id\":\"db1\",\"type\":\"servers\"},{\"id\":\"srvC\",\"type\":\"servers\"}]}");
        assertThat(sluice.service("Svc").servers()).extracting(s -> s.name()).containsExactly("db1", "srvC");
        assertThat(before.servers()).extracting(s -> s.name()).containsExactly("db1");
        assertThat(get("/v1/servers/srvC").at("/data/relationships/services/data/0/id").asText()).isEqualTo("Svc");
        expect(204, "PATCH", "/v1/servers/srvC",
                "{\"data\":{\"relationships\":{\"services\":{\"data\":[]}}}}");
        assertThat(sluice.service("Svc").servers()).extracting(s -> s.name()).containsExactly("db1");
        expect(204, "DELETE", "/v1/servers/srvC", null);
    }

    @Test
    void alteredServiceParametersMakeANewRouterForNewSessions() throws Exception {
        ServiceRuntime.Snapshot before = sluice.service("Svc").snapshot();
        expect(204, "PATCH", "/v1/services/Svc", "{\"data\":{\"attributes\":{\"parameters\":{\"fake_flag\":false}}}}");
        ServiceRuntime.Snapshot after = sluice.service("Svc").snapshot();
        assertThat(after.router()).isNotSameAs(before.router());
        assertThat(after.params().asMap()).containsEntry("fake_flag", false);
        assertThat(before.params().asMap()).doesNotContainKey("fake_flag");
        assertThat(get("/v1/services/Svc").at("/data/attributes/parameters/fake_flag").asBoolean()).isFalse();
        assertThat(refused(400, "PATCH", "/v1/services/Svc",
                "{\"data\":{\"attributes\":{\"parameters\":{\"fake_count\":9}}}}")).contains("'fake_count'");
        expect(204, "PATCH", "/v1/services/Svc", "{\"data\":{\"attributes\":{\"parameters\":{\"fake_flag\":null}}}}");
        assertThat(sluice.service("Svc").params().asMap()).doesNotContainKey("fake_flag");
    }

    @Test
    void destroyedListenerStopsAcceptingAtOnceAndStopStartWork() throws Exception {
        int released = sluice.lifecycles().releasedCount(Kind.LISTENER);
        expect(204, "POST", "/v1/listeners", "{\"data\":{\"id\":\"L1\",\"type\":\"listeners\",\"attributes\":"
                + "{\"parameters\":{\"port\":0,\"address\":\"127.0.0.1\"}},\"relationships\":{\"services\":"
                + "{\"data\":[{\"id\":\"Svc\",\"type\":\"services\"}]}}}}");
        int port = sluice.listener("L1").boundPort();
        assertThat(accepts(port)).isTrue();
        expect(204, "PUT", "/v1/listeners/L1/stop", null);
        assertThat(get("/v1/listeners/L1").at("/data/attributes/state").asText()).isEqualTo("Stopped");
        assertThat(accepts(port)).isFalse();
        expect(204, "PUT", "/v1/listeners/L1/start", null);
        assertThat(get("/v1/listeners/L1").at("/data/attributes/state").asText()).isEqualTo("Running");
        int again = sluice.listener("L1").boundPort();
        assertThat(accepts(again)).isTrue();
        expect(204, "DELETE", "/v1/services/Svc/listeners/L1", null);
        assertThat(accepts(again)).isFalse();
        assertThat(sluice.lifecycles().releasedCount(Kind.LISTENER)).isEqualTo(released + 1);
    }

    @Test
    void serviceWithListenersIsDestroyedOnlyWithForceAndReleasedOnce() throws Exception {
        int released = sluice.lifecycles().releasedCount(Kind.SERVICE);
        expect(204, "POST", "/v1/services", "{\"data\":{\"id\":\"Svc2\",\"type\":\"services\",\"attributes\":"
                + "{\"router\":\"fakerouter\",\"parameters\":{\"user\":\"u\",\"password\":\"p\"}},"
                + "\"relationships\":{\"servers\":{\"data\":[{\"id\":\"db1\",\"type\":\"servers\"}]}}}}");
        expect(204, "POST", "/v1/services/Svc2/listeners", "{\"data\":{\"id\":\"L2\",\"attributes\":"
                + "{\"parameters\":{\"port\":0,\"address\":\"127.0.0.1\"}}}}");
        int port = sluice.listener("L2").boundPort();
        assertThat(refused(400, "DELETE", "/v1/services/Svc2", null)).contains("listener 'L2'");
        expect(204, "PUT", "/v1/services/Svc2/stop", null);
        assertThat(accepts(port)).isFalse();
        assertThat(get("/v1/services/Svc2").at("/data/attributes/state").asText()).isEqualTo("Stopped");
        expect(204, "PUT", "/v1/services/Svc2/start", null);
        port = sluice.listener("L2").boundPort();
        assertThat(accepts(port)).isTrue();
        ServiceRuntime svc2 = sluice.service("Svc2");
        expect(204, "DELETE", "/v1/services/Svc2?force=yes", null);
        assertThat(sluice.listener("L2")).isNull();
        assertThat(accepts(port)).isFalse();
        // the probing connections above held the service until the server side saw them close
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (svc2.refCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(svc2.refCount()).isZero();
        assertThat(svc2.tryRetain()).as("a released service cannot be revived").isFalse();
        assertThat(sluice.lifecycles().releasedCount(Kind.SERVICE)).isEqualTo(released + 1);
    }

    @Test
    void monitorsAreCreatedStoppedStartedRelinkedAndDestroyed() throws Exception {
        int released = sluice.lifecycles().releasedCount(Kind.MONITOR);
        expect(204, "POST", "/v1/servers", server("srvM", 3311, null));
        expect(204, "POST", "/v1/monitors", "{\"data\":{\"id\":\"Mon2\",\"type\":\"monitors\",\"attributes\":"
                + "{\"module\":\"fakemon\",\"parameters\":{\"user\":\"u\",\"password\":\"p\"}},"
                + "\"relationships\":{\"servers\":{\"data\":[{\"id\":\"srvM\",\"type\":\"servers\"}]}}}}");
        assertThat(sluice.monitors().get("Mon2").isRunning()).isTrue();
        assertThat(refused(400, "PATCH", "/v1/monitors/Mon2/relationships/servers",
                "{\"data\":[{\"id\":\"db2\",\"type\":\"servers\"}]}")).contains("already monitored by [Mon]");
        expect(204, "PUT", "/v1/monitors/Mon2/stop", null);
        assertThat(get("/v1/monitors/Mon2").at("/data/attributes/state").asText()).isEqualTo("Stopped");
        expect(204, "PUT", "/v1/monitors/Mon2/start", null);
        assertThat(get("/v1/monitors/Mon2").at("/data/attributes/state").asText()).isEqualTo("Running");
        expect(204, "PATCH", "/v1/monitors/Mon2", "{\"data\":{\"attributes\":{\"parameters\":{\"fake_option\":true}}}}");
        assertThat(sluice.lifecycles().releasedCount(Kind.MONITOR)).as("altered: replaced").isEqualTo(released + 1);
        assertThat(sluice.monitors().get("Mon2").isRunning()).isTrue();
        assertThat(refused(400, "DELETE", "/v1/monitors/Mon2", null)).contains("srvM");
        expect(204, "DELETE", "/v1/monitors/Mon2?force=yes", null);
        assertThat(sluice.monitors()).doesNotContainKey("Mon2");
        assertThat(sluice.lifecycles().releasedCount(Kind.MONITOR)).isEqualTo(released + 2);
        expect(204, "DELETE", "/v1/servers/srvM", null);
    }

    @Test
    void wrongMethodsAndPathsAreRefused() throws Exception {
        refused(405, "PUT", "/v1/servers/db1/start", null);
        refused(405, "PUT", "/v1/services", null);
        refused(400, "PATCH", "/v1/services/Svc/relationships/nonsense", "{\"data\":[]}");
    }
}
