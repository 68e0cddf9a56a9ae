package dev.sluice.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.router.Router;
import dev.sluice.api.router.RouterFactory;
import dev.sluice.api.server.StatusBit;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.session.Worker;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API over real HTTP against a Sluice without backends (a fake router; the server is unreachable). */
class AdminServerTest {
    static final Module FAKE_ROUTER = new Module("fakerouter", List.of(), ModuleKind.ROUTER, "1.2", "a fake router",
            ParamSpec.of(Param.bool("fake_flag", true, "A flag.").modifiable(),
                    Param.count("fake_count", 7, "A count.").mandatory()),
            (RouterFactory) ctx -> new Router() {
                @Override
                public dev.sluice.api.router.RouterSession newSession(
                        dev.sluice.api.router.RouterSessionContext session) {
                    throw new UnsupportedOperationException("no sessions in this test");
                }

                @Override
                public Map<String, Object> diagnostics() {
                    return Map.of("queries", 42);
                }
            });

    @TempDir
    static Path dir;
    static SluiceServer sluice;
    static HttpClient http = HttpClient.newHttpClient();

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        String cnf = "[maxscale]\nthreads=2\nusers_refresh_time=0s\nadmin_port=" + freePort() + "\ndatadir=" + dir
                + "\n\n[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n"
                + "[Svc]\ntype=service\nrouter=fakerouter\nservers=db1\nuser=u\npassword=secret\nfake_count=3\n\n"
                + "[Svc-Listener]\ntype=listener\nservice=Svc\nport=0\naddress=127.0.0.1\n";
        sluice = SluiceServer.start(ConfigLoader.parse(cnf, "test.cnf", ModuleRegistry.of(List.of(FAKE_ROUTER))));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.stop(Duration.ZERO);
        }
    }

    static HttpResponse<String> send(String method, String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.adminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String method, String path) throws Exception {
        return send(method, path, "admin", "mariadb");
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JsonApi.MAPPER.readTree(r.body());
    }

    @Test
    void refusesRequestsWithoutOrWithWrongCredentials() throws Exception {
        HttpResponse<String> none = send("GET", "/v1/servers", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Basic"));
        assertThat(JsonApi.MAPPER.readTree(none.body()).at("/errors/0/detail").asText()).contains("Access denied");
        assertThat(send("GET", "/v1/servers", "admin", "wrong").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/servers", "nobody", "mariadb").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void defaultAccountIsStoredHashedUnderDatadir() throws Exception {
        String file = Files.readString(dir.resolve(AdminUsers.FILE_NAME));
        assertThat(file).contains("\"admin\"").doesNotContain("mariadb");
        AdminUsers reloaded = AdminUsers.load(dir);
        assertThat(reloaded.check("admin", "mariadb")).isTrue();
        assertThat(reloaded.check("admin", "mariadb2")).isFalse();
    }

    @Test
    void serverResourceHasStateParametersStatisticsAndRelationships() throws Exception {
        JsonNode doc = get("/v1/servers/db1");
        assertThat(doc.at("/links/self").asText()).endsWith("/v1/servers/db1");
        JsonNode d = doc.get("data");
        assertThat(d.get("id").asText()).isEqualTo("db1");
        assertThat(d.get("type").asText()).isEqualTo("servers");
        assertThat(d.at("/attributes/parameters/port").asLong()).isEqualTo(1);
        assertThat(d.at("/attributes/parameters/address").asText()).isEqualTo("127.0.0.1");
        assertThat(d.at("/attributes/statistics/connections").isNumber()).isTrue();
        assertThat(d.at("/attributes/state").asText()).isEqualTo(sluice.server("db1").status().stateString());
        assertThat(d.at("/relationships/services/data/0/id").asText()).isEqualTo("Svc");

        JsonNode all = get("/v1/servers");
        assertThat(all.get("data").isArray()).isTrue();
        assertThat(all.at("/data/0/id").asText()).isEqualTo("db1");
    }

    @Test
    void serviceListenerAndGlobalResources() throws Exception {
        JsonNode svc = get("/v1/services/Svc").get("data");
        assertThat(svc.at("/attributes/router").asText()).isEqualTo("fakerouter");
        assertThat(svc.at("/attributes/router_diagnostics/queries").asInt()).isEqualTo(42);
        assertThat(svc.at("/attributes/parameters/fake_count").asLong()).isEqualTo(3);
        assertThat(svc.at("/attributes/parameters/password").asText()).isEqualTo("*****");
        assertThat(svc.at("/relationships/servers/data/0/id").asText()).isEqualTo("db1");
        assertThat(svc.at("/relationships/listeners/data/0/id").asText()).isEqualTo("Svc-Listener");

        JsonNode l = get("/v1/listeners/Svc-Listener").get("data");
        assertThat(l.at("/attributes/bound_port").asInt()).isEqualTo(sluice.listener("Svc-Listener").boundPort());
        assertThat(l.at("/relationships/services/data/0/id").asText()).isEqualTo("Svc");

        JsonNode m = get("/v1/maxscale").get("data");
        assertThat(m.at("/attributes/threads").asInt()).isEqualTo(2);
        assertThat(m.at("/attributes/parameters/admin_port").asInt()).isEqualTo(sluice.adminPort());
        assertThat(m.at("/attributes/uptime").isNumber()).isTrue();

        JsonNode threads = get("/v1/maxscale/threads").get("data");
        assertThat(threads.size()).isEqualTo(2);
        assertThat(threads.at("/0/attributes/stats/sessions").asInt()).isZero();
        assertThat(get("/v1/monitors").get("data").size()).isZero();
        assertThat(get("/v1/sessions").get("data").size()).isZero();
    }

    @Test
    void moduleParameterSpec() throws Exception {
        // the real registry (ServiceLoader) is used for modules: the fake router is not in it, the core types are
        JsonNode core = get("/v1/maxscale/modules/servers").get("data");
        JsonNode port = null;
        for (JsonNode p : core.at("/attributes/parameters")) {
            if (p.get("name").asText().equals("port")) {
                port = p;
            }
        }
        assertThat(port).isNotNull();
        assertThat(port.get("type").asText()).isEqualTo("count");
        assertThat(port.get("default_value").asLong()).isEqualTo(3306);
        assertThat(port.has("mandatory") && port.has("modifiable") && port.has("description")).isTrue();
        JsonNode fake = JsonApi.MAPPER.readTree(
                JsonApi.MAPPER.writeValueAsString(AdminApi.module("http://x", new AdminApi.ModuleEntry("fakerouter",
                        "Router", "1.2", "d", FAKE_ROUTER.spec()))));
        assertThat(fake.at("/attributes/parameters/1/name").asText()).isEqualTo("fake_count");
        assertThat(fake.at("/attributes/parameters/1/mandatory").asBoolean()).isTrue();
        assertThat(fake.at("/attributes/parameters/0/modifiable").asBoolean()).isTrue();
        assertThat(fake.at("/attributes/parameters/0/default_value").asBoolean()).isTrue();
        assertThat(send("GET", "/v1/maxscale/modules/nosuchmodule").statusCode()).isEqualTo(404);
    }

    @Test
    void classifyUsesTheRealClassifier() throws Exception {
        JsonNode a = get("/v1/maxscale/query_classifier/classify?sql=" + java.net.URLEncoder.encode(
                "UPDATE t1 SET a = 1 WHERE b = 2", StandardCharsets.UTF_8)).at("/data/attributes/parameters");
        assertThat(a.get("type_mask").asText()).contains("WRITE");
        assertThat(a.get("tables").toString()).contains("t1");
        assertThat(get("/v1/maxscale/query_classifier/classify?sql=SELECT%201")
                .at("/data/attributes/parameters/type_mask").asText()).contains("READ");
        assertThat(send("GET", "/v1/maxscale/query_classifier/classify").statusCode()).isEqualTo(400);
    }

    @Test
    void errorsAre404405And400WithAnErrorsDocument() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/servers/nosuch");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JsonApi.MAPPER.readTree(r.body()).at("/errors/0/detail").asText()).contains("nosuch");
        assertThat(send("GET", "/v2/whatever").statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/v1/maxscale").statusCode()).isEqualTo(405);
        assertThat(send("DELETE", "/v1/servers/db1").statusCode()).as("in use by Svc").isEqualTo(400);
        assertThat(send("GET", "/v1/servers/db1/set?state=maintenance").statusCode()).isEqualTo(405);
        assertThat(send("PUT", "/v1/servers/db1/set?state=bogus").statusCode()).isEqualTo(400);
        assertThat(send("DELETE", "/v1/sessions/999999").statusCode()).isEqualTo(404);
    }

    @Test
    void setAndClearMaintenanceAndDrain() throws Exception {
        assertThat(send("PUT", "/v1/servers/db1/set?state=maintenance").statusCode()).isEqualTo(204);
        assertThat(sluice.server("db1").status().is(StatusBit.MAINTENANCE)).isTrue();
        assertThat(get("/v1/servers/db1").at("/data/attributes/state").asText()).contains("Maintenance");
        assertThat(send("PUT", "/v1/servers/db1/set?state=drain").statusCode()).isEqualTo(204);
        assertThat(sluice.server("db1").status().is(StatusBit.DRAINING)).isTrue();
        assertThat(send("PUT", "/v1/servers/db1/clear?state=maintenance").statusCode()).isEqualTo(204);
        assertThat(send("PUT", "/v1/servers/db1/clear?state=drain").statusCode()).isEqualTo(204);
        assertThat(sluice.server("db1").status().is(StatusBit.MAINTENANCE)).isFalse();
        assertThat(sluice.server("db1").status().is(StatusBit.DRAINING)).isFalse();
    }

    record Cfg(java.time.Duration lag, List<String> roles) {
    }

    @Test
    void diagnosticsWithRecordsAndDurationsRenderAsJson() {
        JsonNode t = JsonApi.tree(Map.of("cfg", new Cfg(java.time.Duration.ofMillis(1500), List.of("slave")),
                "n", 3, "x", new Object() {
                    @Override
                    public String toString() {
                        return "opaque";
                    }
                }));
        assertThat(t.at("/cfg/lag").asText()).isEqualTo("1500ms");
        assertThat(t.at("/cfg/roles/0").asText()).isEqualTo("slave");
        assertThat(t.at("/n").asInt()).isEqualTo(3);
        assertThat(t.at("/x").asText()).isEqualTo("opaque");
    }

    @Test
    void prettyPrintingAndMetrics() throws Exception {
        assertThat(send("GET", "/v1/servers/db1?pretty=true").body()).contains("\n  \"links\"");
        assertThat(send("GET", "/v1/servers/db1").body()).doesNotContain("\n");
        HttpResponse<String> m = send("GET", "/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("text/plain"));
        assertThat(m.body()).contains("# TYPE sluice_server_connections gauge\n")
                .contains("sluice_server_connections{server=\"db1\"} 0")
                .contains("sluice_service_sessions{service=\"Svc\"} 0")
                .contains("sluice_sessions_accepted_total 0");
    }

    // ---- /v1/sessions asks the workers without blocking the admin event loop: while a worker is stuck, other
    // admin requests are answered, the session request completes when the worker answers, and a worker that
    // never answers turns into a 503 naming it

    static final HttpClient BOUNDED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static CompletableFuture<HttpResponse<String>> sendAsync(String method, String path) {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.adminPort() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:mariadb".getBytes(StandardCharsets.UTF_8))).build();
        return BOUNDED.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    /** Blocks the worker's event loop until the returned latch is counted down (at most 20 s). */
    static CountDownLatch block(Worker w) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        w.eventLoop().execute(() -> {
            blocked.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        return release;
    }

    @Test
    void otherAdminRequestsAreAnsweredWhileAWorkerIsSlowAndTheSessionListCompletesAfterIt() throws Exception {
        Worker slow = sluice.workers().all().get(0);
        CountDownLatch release = block(slow);
        CompletableFuture<HttpResponse<String>> sessions;
        try {
            sessions = sendAsync("GET", "/v1/sessions");
            for (String path : List.of("/v1/servers/db1", "/v1/services/Svc", "/v1/maxscale", "/v1/users/inet")) {
                long start = System.nanoTime();
                HttpResponse<String> other = sendAsync("GET", path).get(10, TimeUnit.SECONDS);
                assertThat(other.statusCode()).as(path + ": " + other.body()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(path).isLessThan(Duration.ofSeconds(3));
            }
            assertThat(sessions).as("still waiting for the blocked worker").isNotDone();
        } finally {
            release.countDown();
        }
        HttpResponse<String> answer = sessions.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JsonApi.MAPPER.readTree(answer.body()).get("data").isArray()).isTrue();
    }

    @Test
    void aWorkerThatDoesNotAnswerInTimeIsA503NamingIt() throws Exception {
        SessionsResource resource = new SessionsResource(sluice, Duration.ofMillis(300));
        AdminRequest req = new AdminRequest("GET", "/v1/sessions", Map.of(), "http://x", "",
                new AdminUsers.Principal("admin", AdminUsers.ADMIN));
        Worker slow = sluice.workers().all().get(1);
        CountDownLatch release = block(slow);
        try {
            CompletableFuture<JsonNode> answer = resource.handle(req, req.segments());
            assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(AdminApi.ApiError.class)
                    .hasMessageContaining("Worker " + slow.index() + " did not answer within 300 ms")
                    .satisfies(e -> assertThat(((AdminApi.ApiError) e).status).isEqualTo(503));
        } finally {
            release.countDown();
        }
    }

    @Test
    void restartVerbsAnswer200AsMaxScaleAndUnknownSessions404() throws Exception {
        assertThat(sendAsync("POST", "/v1/sessions/restart").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<String> missing = sendAsync("POST", "/v1/sessions/424242/restart").get(10, TimeUnit.SECONDS);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("424242");
        assertThat(sendAsync("GET", "/v1/sessions/restart").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(405);
        assertThat(sendAsync("DELETE", "/v1/sessions/424242").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
        assertThat(sendAsync("GET", "/v1/sessions/abc").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(404);
    }
}
