package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.server.StatusBit;
import dev.sluice.cli.CtlCommand;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API over HTTPS in front of a real primary and replica: accounts and their rights, tokens,
 * runtime globals, per-thread statistics with a live session, and {@code sluice ctl} against it.
 */
@MariaDbCluster(replicas = 1)
class AdminAccessIT {
    static MariaDbTopology topology;
    static final ObjectMapper JSON = new ObjectMapper();
    static SluiceFixture sluice;
    static Path cert;
    static HttpClient https;

    @BeforeAll
    static void start() throws Exception {
        Path dir = topology.directory().resolve("admin-tls");
        Files.createDirectories(dir);
        cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1").redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).isTrue();
        Files.deleteIfExists(topology.directory().resolve("sluice-data").resolve("admin-users.json"));
        int adminPort;
        try (ServerSocket s = new ServerSocket(0)) {
            adminPort = s.getLocalPort();
        }
        String cnf = SluiceFixture.baseConfig(topology, "", true).replaceFirst("\\[maxscale\\]\n",
                "[maxscale]\nadmin_port=" + adminPort + "\nadmin_ssl_cert=" + cert + "\nadmin_ssl_key=" + key + "\n")
                + "[RW]\ntype=service\nrouter=readconnroute\nrouter_options=master\ncluster=Cluster\n"
                + "user=maxuser\npassword=maxpwd\n\n"
                + "[RW-Listener]\ntype=listener\nservice=RW\nport=0\naddress=127.0.0.1\n";
        sluice = SluiceFixture.start(topology, cnf);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("admin", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        https = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + sluice.server.adminPort()
                + path)).timeout(Duration.ofSeconds(30)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return send(method, path, basic("admin", "mariadb"), body);
    }

    static CtlCommand.Result ctl(String... args) {
        List<String> all = new ArrayList<>(List.of("-h", "127.0.0.1:" + sluice.server.adminPort()));
        all.addAll(List.of(args));
        all.addAll(List.of("--tls-ca-cert", cert.toString()));
        return CtlCommand.run(all.toArray(new String[0]));
    }

    @Test
    void basicUserReadsOverHttpsButCannotPutAServerInMaintenance() throws Exception {
        assertThat(admin("POST", "/v1/users/inet", "{\"data\":{\"id\":\"ops\",\"type\":\"inet\",\"attributes\":"
                + "{\"password\":\"watch\",\"account\":\"basic\"}}}").statusCode()).isEqualTo(204);
        HttpResponse<String> servers = send("GET", "/v1/servers?fields[servers]=state", basic("ops", "watch"), null);
        assertThat(servers.statusCode()).isEqualTo(200);
        JsonNode data = JSON.readTree(servers.body()).get("data");
        assertThat(data.findValuesAsText("state")).anySatisfy(s -> assertThat(s).contains("Master"));
        assertThat(data.get(0).path("attributes").has("statistics")).isFalse();
        HttpResponse<String> refused = send("PUT", "/v1/servers/db2/set?state=maintenance", basic("ops", "watch"),
                null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(sluice.server.server("db2").status().is(StatusBit.MAINTENANCE)).isFalse();
        String token = JSON.readTree(send("GET", "/v1/auth", basic("ops", "watch"), null).body()).at("/meta/token")
                .asText();
        assertThat(send("GET", "/v1/servers/db1", "Bearer " + token, null).statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/v1/servers/db2/set?state=maintenance", "Bearer " + token, null).statusCode())
                .isEqualTo(403);
        assertThat(admin("DELETE", "/v1/users/inet/ops", null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/v1/servers/db1", "Bearer " + token, null).statusCode()).isEqualTo(401);
    }

    @Test
    void threadStatisticsCountALiveSession() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            JsonNode threads = JSON.readTree(admin("GET", "/v1/maxscale/threads", null).body()).get("data");
            assertThat(threads.size()).isEqualTo(2);
            int sessions = 0;
            for (JsonNode t : threads) {
                sessions += t.at("/attributes/stats/sessions").asInt();
            }
            assertThat(sessions).isEqualTo(1);
            CtlCommand.Result list = ctl("list", "threads", "--tsv");
            assertThat(list.exit()).as(list.err()).isZero();
            assertThat(list.out()).containsPattern("(?m)^\\d\\tActive\\t1\\t");
        }
    }

    @Test
    void patchOfGlobalsAppliesAndABadPatchChangesNothing() throws Exception {
        assertThat(admin("PATCH", "/v1/maxscale", "{\"data\":{\"attributes\":{\"parameters\":"
                + "{\"writeq_high_water\":\"1Mi\",\"writeq_low_water\":\"4Ki\"}}}}").statusCode()).isEqualTo(204);
        assertThat(sluice.server.workers().waterMark().high()).isEqualTo(1 << 20);
        HttpResponse<String> bad = admin("PATCH", "/v1/maxscale", "{\"data\":{\"attributes\":{\"parameters\":"
                + "{\"writeq_high_water\":\"2Mi\",\"writeq_low_water\":\"lots\"}}}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).at("/errors/0/detail").asText()).startsWith(
                "Invalid value for 'writeq_low_water'");
        assertThat(sluice.server.workers().waterMark().high()).isEqualTo(1 << 20);
        CtlCommand.Result show = ctl("api", "get", "maxscale", "/data/attributes/parameters/writeq_high_water");
        assertThat(show.out().strip()).isEqualTo(Integer.toString(1 << 20));
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            assertThat(st.executeQuery("SELECT REPEAT('x', 3000000)").next()).as("a large result still flows")
                    .isTrue();
        }
    }

    @Test
    void cliOverHttpsListsServersAndFailsWithTheServersErrorText() {
        CtlCommand.Result servers = ctl("list", "servers");
        assertThat(servers.exit()).as(servers.err()).isZero();
        assertThat(servers.out()).contains("Master, Running").contains("Slave, Running");
        CtlCommand.Result users = ctl("list", "users", "--json");
        assertThat(users.out()).contains("\"account\" : \"admin\"");
        CtlCommand.Result wrong = ctl("list", "servers", "-p", "nope");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("HTTP 401").contains("Access denied");
        CtlCommand.Result last = ctl("destroy", "user", "admin");
        assertThat(last.exit()).isEqualTo(1);
        assertThat(last.err()).contains("HTTP 400").contains("last admin account");
        CtlCommand.Result plain = CtlCommand.run("-h", "127.0.0.1:" + sluice.server.adminPort(), "list", "servers");
        assertThat(plain.exit()).as("plain HTTP to the HTTPS port fails").isEqualTo(1);
        assertThat(plain.err()).contains("cannot reach");
    }
}
