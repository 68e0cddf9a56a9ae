package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The query API ({@code /v1/sql}, MaxScale's shapes) against a real primary and replica: connections to a server,
 * a listener and a service, result sets, OKs, errors and several statements in one request; tokens bound to the
 * connection and to the admin user who opened it; a basic account may use it. Also the GUI's refusal over plain
 * HTTP under the default {@code admin_secure_gui=true}.
 */
@MariaDbCluster(replicas = 1)
class SqlApiIT {
    static MariaDbTopology topology;
    static final ObjectMapper JSON = new ObjectMapper();
    static SluiceFixture sluice;
    static int adminPort;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            adminPort = s.getLocalPort();
        }
        String cnf = SluiceFixture.readWriteSplit(topology, "causal_reads=local\n")
                .replaceFirst("\\[maxscale\\]\n", "[maxscale]\nadmin_port=" + adminPort + "\n");
        sluice = SluiceFixture.start(topology, cnf);
        new AdminRest(adminPort).expect(204, "POST", "/v1/users/inet", "{\"data\":{\"id\":\"other\",\"type\":\"inet\","
                + "\"attributes\":{\"password\":\"otherpw\",\"account\":\"admin\"}}}");
        new AdminRest(adminPort).expect(204, "POST", "/v1/users/inet", "{\"data\":{\"id\":\"reader\",\"type\":\"inet\","
                + "\"attributes\":{\"password\":\"readerpw\",\"account\":\"basic\"}}}");
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    HttpResponse<String> send(String user, String password, String method, String path, String body,
                              String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return send("admin", "mariadb", method, path, body);
    }

    static String open(String target, String password) {
        return "{\"target\":\"" + target + "\",\"user\":\"" + MariaDbTopology.APP_USER + "\",\"password\":\""
                + password + "\",\"db\":\"test\"}";
    }

    static String query(String sql) throws Exception {
        return JSON.writeValueAsString(JSON.createObjectNode().put("sql", sql));
    }

    @Test
    void queriesThroughAListenerReturnResultSetsOksAndErrors() throws Exception {
        HttpResponse<String> opened = admin("POST", "/v1/sql", open("RW-Listener", MariaDbTopology.APP_PASSWORD));
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        JsonNode doc = JSON.readTree(opened.body());
        String id = doc.at("/data/id").asText();
        String token = doc.at("/meta/token").asText();
        assertThat(doc.at("/data/type").asText()).isEqualTo("sql");
        assertThat(doc.at("/data/attributes/target").asText()).isEqualTo("RW-Listener");
        assertThat(doc.at("/data/links/related").asText()).endsWith("/v1/sql/" + id + "/queries/");

        HttpResponse<String> r = admin("POST", "/v1/sql/" + id + "/queries?token=" + token, query(
                "CREATE TABLE IF NOT EXISTS sql_api (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10));"
                        + "INSERT INTO sql_api (v) VALUES ('a'), (NULL);"
                        + "SELECT id, v, 1.5 AS d FROM sql_api ORDER BY id;"
                        + "SELECT * FROM no_such_table;"
                        + "SELECT 'not reached'"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode results = JSON.readTree(r.body()).at("/data/attributes/results");
        assertThat(results).hasSize(4);
        assertThat(results.get(1).get("affected_rows").asInt()).isEqualTo(2);
        assertThat(results.get(1).get("last_insert_id").asInt()).isPositive();
        JsonNode rows = results.get(2);
        assertThat(rows.get("fields").toString()).isEqualTo("[\"id\",\"v\",\"d\"]");
        assertThat(rows.get("data").get(0).get(1).asText()).isEqualTo("a");
        assertThat(rows.get("data").get(1).get(1).isNull()).isTrue();
        assertThat(rows.get("data").get(0).get(2).asDouble()).isEqualTo(1.5);
        assertThat(rows.get("complete").asBoolean()).isTrue();
        assertThat(results.get(3).get("errno").asInt()).isEqualTo(1146);
        assertThat(results.get(3).get("sqlstate").asText()).isEqualTo("42S02");
        assertThat(results.get(3).get("message").asText()).contains("no_such_table").doesNotContain("conn=");

        // max_rows cuts a result and says so
        r = admin("POST", "/v1/sql/" + id + "/queries?token=" + token,
                "{\"sql\":\"SELECT seq FROM seq_1_to_50\",\"max_rows\":10}");
        JsonNode cut = JSON.readTree(r.body()).at("/data/attributes/results/0");
        assertThat(cut.get("data")).hasSize(10);
        assertThat(cut.get("complete").asBoolean()).isFalse();

        JsonNode listed = JSON.readTree(admin("GET", "/v1/sql", null).body());
        assertThat(listed.at("/data").findValuesAsText("id")).contains(id);
        assertThat(JSON.readTree(admin("GET", "/v1/sql/" + id, null).body()).at("/data/attributes/sql").asText())
                .isEqualTo("SELECT seq FROM seq_1_to_50");

        assertThat(admin("DELETE", "/v1/sql/" + id + "?token=" + token, null).statusCode()).isEqualTo(204);
        assertThat(admin("POST", "/v1/sql/" + id + "/queries?token=" + token, query("SELECT 1")).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aServerAndAServiceAreTargetsToo() throws Exception {
        for (String target : new String[] {"db2", "RW"}) {
            JsonNode doc = JSON.readTree(admin("POST", "/v1/sql", open(target, MariaDbTopology.APP_PASSWORD)).body());
            String path = "/v1/sql/" + doc.at("/data/id").asText() + "/queries?token=" + doc.at("/meta/token").asText();
            JsonNode row = JSON.readTree(admin("POST", path, query("SELECT @@port")).body())
                    .at("/data/attributes/results/0/data/0/0");
            if (target.equals("db2")) {
                assertThat(row.asInt()).isEqualTo(topology.replicas().get(0).port());
            } else {
                assertThat(row.asInt()).isIn(topology.primary().port(), topology.replicas().get(0).port());
            }
        }
    }

    @Test
    void tokensAreBoundToTheConnectionAndToTheUserWhoOpenedIt() throws Exception {
        JsonNode a = JSON.readTree(admin("POST", "/v1/sql", open("RW-Listener", MariaDbTopology.APP_PASSWORD)).body());
        JsonNode b = JSON.readTree(admin("POST", "/v1/sql", open("RW-Listener", MariaDbTopology.APP_PASSWORD)).body());
        String idA = a.at("/data/id").asText();
        String tokenB = b.at("/meta/token").asText();
        HttpResponse<String> r = admin("POST", "/v1/sql/" + idA + "/queries", query("SELECT 1"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Missing connection token");
        r = admin("POST", "/v1/sql/" + idA + "/queries?token=" + tokenB, query("SELECT 1"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Invalid or expired token");
        r = send("other", "otherpw", "POST", "/v1/sql/" + idA + "/queries?token=" + a.at("/meta/token").asText(),
                query("SELECT 1"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("belongs to admin user 'admin'");

        // persist=yes: the token in a cookie scoped to the connection's path, not in the body
        HttpResponse<String> persisted = admin("POST", "/v1/sql?persist=yes", open("RW-Listener",
                MariaDbTopology.APP_PASSWORD));
        JsonNode p = JSON.readTree(persisted.body());
        assertThat(p.has("meta")).isFalse();
        String cookie = persisted.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith("conn_id_sig_" + p.at("/data/id").asText() + "=").contains("HttpOnly");
        r = send("admin", "mariadb", "POST", "/v1/sql/" + p.at("/data/id").asText() + "/queries", query("SELECT 7"),
                "Cookie", cookie.substring(0, cookie.indexOf(';')));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(JSON.readTree(r.body()).at("/data/attributes/results/0/data/0/0").asInt()).isEqualTo(7);
    }

    @Test
    void badRequestsAreRefusedWithReasons() throws Exception {
        HttpResponse<String> r = admin("POST", "/v1/sql", open("RW-Listener", "wrong-password"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Cannot connect to RW-Listener").contains("Access denied");
        r = admin("POST", "/v1/sql", open("nowhere", "x"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("No server, listener or service named 'nowhere'");
        r = admin("POST", "/v1/sql", "{\"user\":\"app\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("'target' is missing");
        r = admin("POST", "/v1/sql/no-such-id/queries?token=x", query("SELECT 1"));
        assertThat(r.statusCode()).isEqualTo(404);
        JsonNode doc = JSON.readTree(admin("POST", "/v1/sql", open("db1", MariaDbTopology.APP_PASSWORD)).body());
        r = admin("POST", "/v1/sql/" + doc.at("/data/id").asText() + "/queries?token=" + doc.at("/meta/token").asText(),
                "{\"sql\":\"\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("'sql' is missing or empty");
    }

    @Test
    void aBasicAccountMayUseTheQueryApiButNotChangeSluice() throws Exception {
        HttpResponse<String> r = send("reader", "readerpw", "POST", "/v1/sql", open("db1", MariaDbTopology.APP_PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode doc = JSON.readTree(r.body());
        r = send("reader", "readerpw", "POST", "/v1/sql/" + doc.at("/data/id").asText() + "/queries?token="
                + doc.at("/meta/token").asText(), query("SELECT CURRENT_USER()"));
        assertThat(JSON.readTree(r.body()).at("/data/attributes/results/0/data/0/0").asText()).startsWith("app@");
        r = send("reader", "readerpw", "PUT", "/v1/servers/db2/set?state=maintenance", null);
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void theGuiNeedsHttpsUnlessAdminSecureGuiIsOff() throws Exception {
        // admin_secure_gui=true (the default) and no TLS: the GUI is refused with the reason, the API still works
        HttpResponse<String> r = send(null, null, "GET", "/", null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("admin_secure_gui");
        assertThat(admin("GET", "/v1/servers/db1", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theGuiAsksWithoutABrowserLoginBox() throws Exception {
        HttpResponse<String> plain = send(null, null, "GET", "/v1/servers", null);
        assertThat(plain.statusCode()).isEqualTo(401);
        assertThat(plain.headers().firstValue("www-authenticate")).isPresent();
        HttpResponse<String> gui = send(null, null, "GET", "/v1/servers", null, "X-Requested-With", "sluice-gui");
        assertThat(gui.statusCode()).isEqualTo(401);
        assertThat(gui.headers().firstValue("www-authenticate")).isEmpty();
    }
}
