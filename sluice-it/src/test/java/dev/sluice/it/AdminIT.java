package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin REST API against a real primary and two replicas: live values, session kill, maintenance. */
@MariaDbCluster(replicas = 2)
class AdminIT {
    static MariaDbTopology topology;
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    SluiceFixture sluice;

    @BeforeEach
    void start() throws Exception {
        int adminPort;
        try (ServerSocket s = new ServerSocket(0)) {
            adminPort = s.getLocalPort();
        }
        String cnf = SluiceFixture.baseConfig(topology, "", true)
                .replaceFirst("\\[maxscale\\]\n", "[maxscale]\nadmin_port=" + adminPort + "\n")
                + "[RW]\ntype=service\nrouter=readconnroute\nrouter_options=master\ncluster=Cluster\n"
                + "user=maxuser\npassword=maxpwd\n\n"
                + "[RW-Listener]\ntype=listener\nservice=RW\nport=0\naddress=127.0.0.1\n\n"
                + SluiceFixture.service("RO", "slave", "db2,db3", "RO-Listener", "");
        sluice = SluiceFixture.start(topology, cnf);
    }

    @AfterEach
    void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    HttpResponse<String> send(String method, String path, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.server.adminPort()
                + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (auth) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    "admin:mariadb".getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, true);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** db1..db3 name the topology's nodes in order. */
    static String nameOf(MariaDbNode node) {
        return "db" + (topology.nodes().indexOf(node) + 1);
    }

    @Test
    void serverStatesComeFromTheMonitor() throws Exception {
        String primary = nameOf(topology.primary());
        JsonNode servers = get("/v1/servers").get("data");
        assertThat(servers.size()).isEqualTo(3);
        for (JsonNode s : servers) {
            String state = s.at("/attributes/state").asText();
            if (s.get("id").asText().equals(primary)) {
                assertThat(state).isEqualTo("Master, Running");
            } else {
                assertThat(state).isEqualTo("Slave, Running");
            }
            assertThat(s.at("/relationships/monitors/data/0/id").asText()).isEqualTo("Cluster");
        }
        JsonNode one = get("/v1/servers/" + primary).get("data");
        assertThat(one.at("/attributes/parameters/port").asInt()).isEqualTo(topology.primary().port());
        assertThat(one.at("/attributes/version_string").asText()).containsIgnoringCase("mariadb");

        JsonNode mon = get("/v1/monitors/Cluster").get("data");
        assertThat(mon.at("/attributes/module").asText()).isEqualTo("mariadbmon");
        assertThat(mon.at("/relationships/servers/data").size()).isEqualTo(3);
        assertThat(mon.at("/attributes/monitor_diagnostics").isObject()).isTrue();

        JsonNode rw = get("/v1/services/RW").get("data");
        assertThat(rw.at("/attributes/router").asText()).isEqualTo("readconnroute");
        assertThat(rw.at("/relationships/listeners/data/0/id").asText()).isEqualTo("RW-Listener");
        assertThat(get("/v1/listeners").get("data").size()).isEqualTo(2);
        assertThat(get("/v1/maxscale").at("/data/attributes/threads").asInt()).isEqualTo(2);
    }

    @Test
    void sessionIsListedWhileOpenAndDeleteKillsIt() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            JsonNode sessions = get("/v1/sessions").get("data");
            assertThat(sessions.size()).isEqualTo(1);
            JsonNode s = sessions.get(0);
            assertThat(s.at("/attributes/user").asText()).isEqualTo(MariaDbTopology.APP_USER);
            assertThat(s.at("/attributes/state").asText()).isEqualTo("Started");
            assertThat(s.at("/relationships/services/data/0/id").asText()).isEqualTo("RW");
            String id = s.get("id").asText();
            assertThat(get("/v1/sessions/" + id).at("/data/attributes/remote").asText()).isNotEmpty();
            JsonNode rw = get("/v1/services/RW").get("data");
            assertThat(rw.at("/attributes/connections").asInt()).isEqualTo(1);
            long routed = rw.at("/attributes/statistics/routed_packets").asLong();
            assertThat(routed).as("the service's own routed packets").isPositive();
            st.execute("SELECT 2");
            st.execute("SELECT 3");
            assertThat(get("/v1/services/RW").at("/data/attributes/statistics/routed_packets").asLong())
                    .isGreaterThanOrEqualTo(routed + 2);
            assertThat(get("/v1/servers/" + nameOf(topology.primary()))
                    .at("/data/attributes/statistics/connections").asInt()).isEqualTo(1);
            String metrics = send("GET", "/metrics", true).body();
            // Micrometer's Prometheus registry writes gauge values as doubles ("1.0")
            assertThat(metrics).containsPattern("sluice_service_sessions\\{service=\"RW\"} 1(\\.0)?\n")
                    .containsPattern("sluice_service_routed_packets_total\\{service=\"RW\"} [1-9]")
                    .containsPattern("\nsluice_sessions 1(\\.0)?\n");

            assertThat(send("DELETE", "/v1/sessions/" + id, true).statusCode()).isEqualTo(200);
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(5), () -> {
                HttpResponse<String> r = send("GET", "/v1/sessions/" + id, true);
                return r.statusCode() == 404;
            })).isTrue();
            assertThatThrownBy(() -> st.execute("SELECT 1")).isInstanceOf(SQLException.class);
        }
        assertThat(get("/v1/sessions").get("data").size()).isZero();
    }

    /** The backend ports of {@code n} connections held open together (readconnroute: least connections). */
    private Set<Integer> portsOfOpenConnections(int n) throws SQLException {
        java.util.List<Connection> open = new java.util.ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        try {
            for (int i = 0; i < n; i++) {
                Connection c = sluice.app("RO-Listener");
                open.add(c);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@port")) {
                    rs.next();
                    ports.add(rs.getInt(1));
                }
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
        return ports;
    }

    @Test
    void maintenanceTakesAServerOutOfReadconnroute() throws Exception {
        int db2 = topology.nodes().get(1).port();
        int db3 = topology.nodes().get(2).port();
        assertThat(portsOfOpenConnections(4)).containsExactlyInAnyOrder(db2, db3);
        assertThat(send("PUT", "/v1/servers/db2/set?state=maintenance", true).statusCode()).isEqualTo(204);
        assertThat(get("/v1/servers/db2").at("/data/attributes/state").asText()).contains("Maintenance");
        assertThat(portsOfOpenConnections(4)).containsExactly(db3);
        assertThat(send("PUT", "/v1/servers/db2/clear?state=maintenance", true).statusCode()).isEqualTo(204);
        assertThat(portsOfOpenConnections(4)).containsExactlyInAnyOrder(db2, db3);
    }

    @Test
    void authAndErrors() throws Exception {
        assertThat(send("GET", "/v1/servers", false).statusCode()).isEqualTo(401);
        HttpResponse<String> r = send("GET", "/v1/servers/nosuch", true);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).at("/errors/0/detail").asText()).contains("nosuch");
    }
}
