package dev.sluice.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Users, tokens, 401/403, PATCH of globals, threads, logs, fieldsets and metrics over real HTTP. */
class AdminHttpTest {
    @TempDir
    static Path dir;
    static SluiceServer sluice;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        String cnf = "[maxscale]\nthreads=2\nusers_refresh_time=0s\nadmin_port=" + AdminServerTest.freePort()
                + "\ndatadir=" + dir + "\n\n[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n"
                + "[Svc]\ntype=service\nrouter=fakerouter\nservers=db1\nuser=u\npassword=secret\nfake_count=3\n\n"
                + "[Svc-Listener]\ntype=listener\nservice=Svc\nport=0\naddress=127.0.0.1\n";
        sluice = SluiceServer.start(ConfigLoader.parse(cnf, "test.cnf",
                ModuleRegistry.of(List.of(AdminServerTest.FAKE_ROUTER))));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.stop(Duration.ZERO);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header(authorization.startsWith("token_") ? "Cookie" : "Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return send(method, path, basic("admin", "mariadb"), body);
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JsonApi.MAPPER.readTree(r.body());
    }

    static String detail(HttpResponse<String> r) throws Exception {
        return json(r).at("/errors/0/detail").asText();
    }

    static String userBody(String name, String password, String account) {
        return "{\"data\":{\"id\":\"" + name + "\",\"type\":\"inet\",\"attributes\":{\"password\":\"" + password
                + "\",\"account\":\"" + account + "\"}}}";
    }

    @Test
    void usersAreCreatedListedChangedAndDeletedAndStoredHashed() throws Exception {
        assertThat(admin("POST", "/v1/users/inet", userBody("alice", "s3cret", "admin")).statusCode()).isEqualTo(204);
        JsonNode list = json(admin("GET", "/v1/users/inet", null));
        assertThat(list.get("data").findValuesAsText("id")).contains("admin", "alice");
        JsonNode alice = json(admin("GET", "/v1/users/inet/alice", null)).get("data");
        assertThat(alice.get("type").asText()).isEqualTo("inet");
        assertThat(alice.at("/attributes/account").asText()).isEqualTo("admin");
        assertThat(alice.at("/links/self").asText()).endsWith("/v1/users/inet/alice/");
        assertThat(send("GET", "/v1/servers", basic("alice", "s3cret"), null).statusCode()).isEqualTo(200);
        assertThat(Files.readString(dir.resolve(AdminUsers.FILE_NAME))).contains("\"alice\"").doesNotContain("s3cret");

        assertThat(admin("PATCH", "/v1/users/inet/alice", "{\"data\":{\"attributes\":{\"password\":\"n3w\"}}}")
                .statusCode()).isEqualTo(204);
        assertThat(send("GET", "/v1/servers", basic("alice", "s3cret"), null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/servers", basic("alice", "n3w"), null).statusCode()).isEqualTo(200);
        assertThat(AdminUsers.load(dir).check("alice", "n3w")).isTrue();

        HttpResponse<String> dup = admin("POST", "/v1/users/inet", userBody("alice", "x", "basic"));
        assertThat(dup.statusCode()).isEqualTo(400);
        assertThat(detail(dup)).contains("alice").contains("exists");

        assertThat(admin("DELETE", "/v1/users/inet/alice", null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/v1/servers", basic("alice", "n3w"), null).statusCode()).isEqualTo(401);
        assertThat(admin("GET", "/v1/users/inet/alice", null).statusCode()).isEqualTo(404);
        assertThat(admin("DELETE", "/v1/users/inet/alice", null).statusCode()).isEqualTo(404);
        assertThat(AdminUsers.load(dir).names()).doesNotContain("alice");
    }

    @Test
    void badUserRequestsAreRefusedNamingTheProblem() throws Exception {
        HttpResponse<String> malformed = admin("POST", "/v1/users/inet", "{\"data\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(detail(malformed)).startsWith("Malformed JSON");
        HttpResponse<String> noPassword = admin("POST", "/v1/users/inet",
                "{\"data\":{\"id\":\"bob\",\"attributes\":{}}}");
        assertThat(noPassword.statusCode()).isEqualTo(400);
        assertThat(detail(noPassword)).contains("password");
        HttpResponse<String> badAccount = admin("POST", "/v1/users/inet", userBody("bob", "pw", "root"));
        assertThat(badAccount.statusCode()).isEqualTo(400);
        assertThat(detail(badAccount)).contains("account").contains("root");
        assertThat(admin("GET", "/v1/users/inet/bob", null).statusCode()).isEqualTo(404);
        HttpResponse<String> last = admin("DELETE", "/v1/users/inet/admin", null);
        assertThat(last.statusCode()).isEqualTo(400);
        assertThat(detail(last)).contains("last admin");
        assertThat(admin("PUT", "/v1/users/inet", null).statusCode()).isEqualTo(405);
    }

    @Test
    void basicAccountsMayReadButNotChange() throws Exception {
        assertThat(admin("POST", "/v1/users/inet", userBody("reader", "pw", "basic")).statusCode()).isEqualTo(204);
        String reader = basic("reader", "pw");
        assertThat(send("GET", "/v1/servers/db1", reader, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/maxscale", reader, null).statusCode()).isEqualTo(200);
        HttpResponse<String> patch = send("PATCH", "/v1/maxscale", reader,
                "{\"data\":{\"attributes\":{\"parameters\":{\"passive\":true}}}}");
        assertThat(patch.statusCode()).isEqualTo(403);
        assertThat(detail(patch)).contains("reader").contains("basic");
        assertThat(send("PUT", "/v1/servers/db1/set?state=drain", reader, null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/v1/users/inet/admin", reader, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/v1/users/inet", reader, userBody("x", "y", "admin")).statusCode()).isEqualTo(403);
        HttpResponse<String> command = send("GET", "/v1/maxscale/modules/mariadbmon/switchover?Cluster", reader, null);
        assertThat(command.statusCode()).isEqualTo(403);
        assertThat(detail(command)).contains("module commands need an admin account");
        assertThat(json(admin("GET", "/v1/maxscale", null)).at("/data/attributes/parameters/passive").asBoolean())
                .isFalse();
        assertThat(admin("DELETE", "/v1/users/inet/reader", null).statusCode()).isEqualTo(204);
    }

    @Test
    void failedLoginsAre401WithWwwAuthenticateAndAreLogged() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/maxscale", basic("admin", "nope"), null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"sluice\"");
        assertThat(detail(r)).startsWith("Access denied");
        HttpResponse<String> entries = admin("GET", "/v1/maxscale/logs/entries?priority=warning&page[size]=100",
                null);
        assertThat(entries.body()).contains("Authentication failed for admin user 'admin'");
    }

    @Test
    void tokensFromAuthWorkAsBearerAndAsCookies() throws Exception {
        HttpResponse<String> auth = admin("GET", "/v1/auth", null);
        assertThat(auth.statusCode()).isEqualTo(200);
        String token = json(auth).at("/meta/token").asText();
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(send("GET", "/v1/servers", "Bearer " + token, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/servers", "Bearer " + token + "x", null).statusCode()).isEqualTo(401);
        String forged = token.substring(0, token.indexOf('.') + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        "{\"iss\":\"maxscale\",\"sub\":\"admin\",\"iat\":0,\"exp\":99999999999}".getBytes())
                + token.substring(token.lastIndexOf('.'));
        assertThat(send("GET", "/v1/servers", "Bearer " + forged, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/auth", "Bearer " + token, null).statusCode()).isEqualTo(401);

        HttpResponse<String> persisted = admin("GET", "/v1/auth?persist=yes&max-age=60", null);
        assertThat(persisted.statusCode()).isEqualTo(204);
        List<String> cookies = persisted.headers().allValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("token_body=").contains("Max-Age=60"));
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("token_sig=").contains("HttpOnly"));
        String cookieHeader = cookies.stream().map(c -> c.substring(0, c.indexOf(';'))).reduce((a, b) -> a + "; " + b)
                .orElseThrow();
        assertThat(send("GET", "/v1/servers", cookieHeader, null).statusCode()).isEqualTo(200);

        AdminTokens tokens = new AdminTokens("maxscale", Duration.ofHours(1));
        String shortLived = tokens.issue("admin", Duration.ofSeconds(10), 0);
        assertThat(tokens.verify(shortLived, 5_000)).isEqualTo("admin");
        assertThat(tokens.verify(shortLived, 11_000)).isNull();
        assertThat(new AdminTokens("maxscale", Duration.ofHours(1)).verify(shortLived, 5_000)).isNull();
    }

    @Test
    void aTokenOfADeletedUserIsRefused() throws Exception {
        assertThat(admin("POST", "/v1/users/inet", userBody("temp", "pw", "admin")).statusCode()).isEqualTo(204);
        String token = json(send("GET", "/v1/auth", basic("temp", "pw"), null)).at("/meta/token").asText();
        assertThat(send("GET", "/v1/servers", "Bearer " + token, null).statusCode()).isEqualTo(200);
        assertThat(admin("DELETE", "/v1/users/inet/temp", null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/v1/servers", "Bearer " + token, null).statusCode()).isEqualTo(401);
    }

    @Test
    void patchChangesModifiableGlobalsAndRefusesBadOnesWithoutChangingAnything() throws Exception {
        ch.qos.logback.classic.Logger sluiceLogger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.sluice");
        ch.qos.logback.classic.Level before = sluiceLogger.getLevel();
        try {
            patchGlobals();
        } finally {
            sluiceLogger.setLevel(before); // other tests in this JVM keep their logging
        }
    }

    private void patchGlobals() throws Exception {
        String patch = "{\"data\":{\"attributes\":{\"parameters\":{\"log_debug\":true,\"writeq_high_water\":\"128Ki\","
                + "\"retain_last_statements\":5}}}}";
        assertThat(admin("PATCH", "/v1/maxscale", patch).statusCode()).isEqualTo(204);
        JsonNode p = json(admin("GET", "/v1/maxscale", null)).at("/data/attributes/parameters");
        assertThat(p.get("log_debug").asBoolean()).isTrue();
        assertThat(p.get("writeq_high_water").asLong()).isEqualTo(128 * 1024);
        assertThat(p.get("retain_last_statements").asLong()).isEqualTo(5);
        assertThat(sluice.workers().waterMark().high()).isEqualTo(128 * 1024);
        assertThat(sluiceLogLevel()).isEqualTo("DEBUG");

        HttpResponse<String> unknown = admin("PATCH", "/v1/maxscale",
                "{\"data\":{\"attributes\":{\"parameters\":{\"passive\":true,\"no_such_thing\":1}}}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(detail(unknown)).isEqualTo("Unknown parameter 'no_such_thing'");
        HttpResponse<String> fixed = admin("PATCH", "/v1/maxscale",
                "{\"data\":{\"attributes\":{\"parameters\":{\"admin_port\":1234}}}}");
        assertThat(fixed.statusCode()).isEqualTo(400);
        assertThat(detail(fixed)).isEqualTo("Parameter 'admin_port' cannot be modified at runtime");
        HttpResponse<String> startupOnly = admin("PATCH", "/v1/maxscale",
                "{\"data\":{\"attributes\":{\"parameters\":{\"users_refresh_time\":\"45s\"}}}}");
        assertThat(detail(startupOnly)).isEqualTo("Parameter 'users_refresh_time' cannot be modified at runtime");
        HttpResponse<String> refused = admin("PATCH", "/v1/maxscale",
                "{\"data\":{\"attributes\":{\"parameters\":{\"max_auth_errors_until_block\":3}}}}");
        assertThat(detail(refused)).startsWith("Invalid value for 'max_auth_errors_until_block': not supported by "
                + "Sluice");
        HttpResponse<String> wrongType = admin("PATCH", "/v1/maxscale",
                "{\"data\":{\"attributes\":{\"parameters\":{\"passive\":\"maybe\"}}}}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(detail(wrongType)).startsWith("Invalid value for 'passive'").contains("maybe");
        HttpResponse<String> wrongJsonType = admin("PATCH", "/v1/maxscale",
                "{\"data\":{\"attributes\":{\"parameters\":{\"passive\":[1]}}}}");
        assertThat(detail(wrongJsonType)).contains("'passive'").contains("array").contains("expected: a boolean");
        HttpResponse<String> malformed = admin("PATCH", "/v1/maxscale", "{\"data\": {\"attributes\"");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(detail(malformed)).startsWith("Malformed JSON");
        HttpResponse<String> empty = admin("PATCH", "/v1/maxscale", "{}");
        assertThat(detail(empty)).contains("data.attributes.parameters");
        assertThat(json(admin("GET", "/v1/maxscale", null)).at("/data/attributes/parameters/passive").asBoolean())
                .as("a refused patch changes nothing, not even its valid entries").isFalse();
        assertThat(admin("POST", "/v1/maxscale", "{}").statusCode()).isEqualTo(405);
        assertThat(admin("PATCH", "/v1/maxscale",
                "{\"data\":{\"attributes\":{\"parameters\":{\"log_debug\":false}}}}").statusCode()).isEqualTo(204);
        assertThat(sluiceLogLevel()).isEqualTo("INFO");
    }

    private static String sluiceLogLevel() {
        return String.valueOf(((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.sluice")).getLevel());
    }

    @Test
    void threadsHavePerWorkerStatistics() throws Exception {
        JsonNode all = json(admin("GET", "/v1/maxscale/threads", null)).get("data");
        assertThat(all.size()).isEqualTo(2);
        assertThat(all.at("/1/id").asText()).isEqualTo("1");
        JsonNode stats = all.at("/0/attributes/stats");
        assertThat(stats.get("sessions").asInt()).isZero();
        assertThat(stats.has("event_queue_length") && stats.has("queue_time_us") && stats.has("pooled_connections"))
                .isTrue();
        JsonNode one = json(admin("GET", "/v1/maxscale/threads/1", null)).get("data");
        assertThat(one.get("id").asText()).isEqualTo("1");
        assertThat(one.at("/links/self").asText()).endsWith("/v1/maxscale/threads/1/");
        assertThat(admin("GET", "/v1/maxscale/threads/7", null).statusCode()).isEqualTo(404);
        assertThat(admin("DELETE", "/v1/maxscale/threads/1", null).statusCode()).isEqualTo(405);
    }

    @Test
    void logsKeepRecentLinesNewestLastAndPageBackwards() throws Exception {
        org.slf4j.Logger log = LoggerFactory.getLogger("dev.sluice.test.AdminHttpTest");
        for (int i = 0; i < 5; i++) {
            log.warn("ring line {}", i);
        }
        JsonNode logs = json(admin("GET", "/v1/maxscale/logs", null)).get("data");
        assertThat(logs.get("id").asText()).isEqualTo("logs");
        assertThat(logs.at("/attributes/parameters").has("log_info")).isTrue();
        assertThat(logs.at("/attributes/retained_entries").asInt()).isGreaterThanOrEqualTo(5);
        JsonNode page = json(admin("GET", "/v1/maxscale/logs/entries?page[size]=2&priority=warning", null));
        JsonNode data = page.get("data");
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.at("/0/attributes/message").asText()).isEqualTo("ring line 3");
        assertThat(data.at("/1/attributes/message").asText()).isEqualTo("ring line 4");
        assertThat(data.at("/1/attributes/priority").asText()).isEqualTo("warning");
        assertThat(data.at("/1/type").asText()).isEqualTo("log_entry");
        String prev = page.at("/links/prev").asText();
        String cursor = prev.substring(prev.indexOf("page[cursor]=") + 13);
        JsonNode older = json(admin("GET", "/v1/maxscale/logs/entries?page[size]=2&priority=warning&page[cursor]="
                + cursor, null)).get("data");
        assertThat(older.at("/1/attributes/message").asText()).isEqualTo("ring line 2");
        assertThat(admin("GET", "/v1/maxscale/logs/entries?priority=loud", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/v1/maxscale/logs/entries?page[size]=0", null).statusCode()).isEqualTo(400);
    }

    @Test
    void sparseFieldsetsKeepOnlyTheNamedFields() throws Exception {
        JsonNode d = json(admin("GET", "/v1/servers/db1?fields[servers]=state,parameters/port", null)).get("data");
        assertThat(d.get("id").asText()).isEqualTo("db1");
        JsonNode a = d.get("attributes");
        assertThat(a.has("state")).isTrue();
        assertThat(a.has("statistics")).isFalse();
        assertThat(a.at("/parameters/port").asInt()).isEqualTo(1);
        assertThat(a.at("/parameters").has("address")).isFalse();
        assertThat(d.get("relationships").size()).isZero();
        JsonNode list = json(admin("GET", "/v1/servers?fields[servers]=relationships,services&pretty=true", null));
        assertThat(list.at("/data/0/relationships/services/data/0/id").asText()).isEqualTo("Svc");
        JsonNode other = json(admin("GET", "/v1/servers/db1?fields[services]=router", null)).get("data");
        assertThat(other.at("/attributes").has("statistics")).as("other types are left alone").isTrue();
        JsonNode globals = json(admin("GET", "/v1/maxscale?fields[maxscale]=parameters/threads", null));
        assertThat(globals.at("/data/attributes/parameters").size()).isEqualTo(1);
    }

    @Test
    void metricsComeFromMicrometerWithSluiceNames() throws Exception {
        HttpResponse<String> m = admin("GET", "/metrics", null);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("text/plain"));
        assertThat(m.body()).contains("# TYPE sluice_server_connections gauge")
                .contains("sluice_server_connections{server=\"db1\"} 0")
                .contains("sluice_server_connections_opened_total{server=\"db1\"} 0")
                .contains("sluice_server_routed_packets_total{server=\"db1\"}")
                .contains("sluice_server_running{server=\"db1\"}")
                .contains("sluice_service_sessions{service=\"Svc\"} 0")
                .contains("sluice_service_sessions_accepted_total{service=\"Svc\"} 0")
                .contains("sluice_sessions 0").contains("sluice_uptime_seconds").contains("sluice_threads 2");
        assertThat(admin("POST", "/metrics", null).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
    }
}
