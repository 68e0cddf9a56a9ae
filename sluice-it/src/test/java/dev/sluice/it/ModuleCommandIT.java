package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.MariaDbTopology;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mariadbmon's commands through the REST API, MaxScale's way
 * ({@code POST /v1/maxscale/modules/mariadbmon/switchover?MONITOR&NEW&OLD}), on a private topology since a
 * switchover reshapes it: the roles swap, readconnroute follows the new primary, a refused command says why.
 */
class ModuleCommandIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        topology = MariaDbTopology.builder().replicas(2).namePrefix("cmd").start();
        int adminPort;
        try (ServerSocket s = new ServerSocket(0)) {
            adminPort = s.getLocalPort();
        }
        String cnf = SluiceFixture.baseConfig(topology, "", true)
                .replaceFirst("\\[maxscale\\]\n", "[maxscale]\nadmin_port=" + adminPort + "\n")
                + "[RW]\ntype=service\nrouter=readconnroute\nrouter_options=master\ncluster=Cluster\n"
                + "user=maxuser\npassword=maxpwd\n\n"
                + "[RW-Listener]\ntype=listener\nservice=RW\nport=0\naddress=127.0.0.1\n";
        sluice = SluiceFixture.start(topology, cnf);
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    HttpResponse<String> post(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.server.adminPort() + path))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:mariadb".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static int primaryPortThroughSluice() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@port, @@read_only")) {
            rs.next();
            assertThat(rs.getInt(2)).as("the server behind router_options=master is writable").isZero();
            return rs.getInt(1);
        }
    }

    @Test
    void switchoverThroughTheRestApiSwapsTheRolesAndRoutingFollows() throws Exception {
        assertThat(primaryPortThroughSluice()).isEqualTo(topology.primary().port());

        HttpResponse<String> refused = post("/v1/maxscale/modules/mariadbmon/switchover?Cluster&db1&db1");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).at("/errors/0/detail").asText()).contains("db1");

        HttpResponse<String> done = post("/v1/maxscale/modules/mariadbmon/switchover?Cluster&db2&db1");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        JsonNode doc = JSON.readTree(done.body());
        assertThat(doc.at("/meta/message").asText()).isNotEmpty();

        assertThat(sluice.server.server("db2").status().isMaster()).isTrue();
        assertThat(sluice.server.server("db1").status().isSlave()).isTrue();
        assertThat(primaryPortThroughSluice()).isEqualTo(topology.replicas().get(0).port());

        HttpResponse<String> back = post("/v1/maxscale/modules/mariadbmon/switchover?Cluster&db1&db2");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(primaryPortThroughSluice()).isEqualTo(topology.primary().port());
    }

    /**
     * MaxScale 24.08's key-value switchover with {@code old_primary_maint=1} (a rolling upgrade): the old primary
     * is left standalone and in maintenance; an unknown key is refused. The roles are restored afterwards.
     */
    @Test
    void keyValueSwitchoverCanLeaveTheOldPrimaryInMaintenanceWithoutReplication() throws Exception {
        HttpResponse<String> bad = post("/v1/maxscale/modules/mariadbmon/switchover?monitor=Cluster&no_such=1");
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("unknown argument 'no_such'");

        HttpResponse<String> done = post("/v1/maxscale/modules/mariadbmon/switchover?monitor=Cluster"
                + "&new_primary=db2&old_primary=db1&old_primary_maint=1");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(JSON.readTree(done.body()).at("/meta/message").asText())
                .contains("db1 left in maintenance without replication");
        assertThat(sluice.server.server("db2").status().isMaster()).isTrue();
        assertThat(sluice.server.server("db1").status().stateString()).startsWith("Maintenance");
        try (Connection c = topology.primary().rootConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW ALL SLAVES STATUS")) {
            assertThat(rs.next()).as("db1 replicates from nobody").isFalse();
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> SluiceFixture.replicatesFrom(topology.replicas().get(1), topology.replicas().get(0))))
                .as("db3 replicates from the new primary").isTrue();
        assertThat(primaryPortThroughSluice()).isEqualTo(topology.replicas().get(0).port());

        // back: out of maintenance, rejoined, primary again
        sluice.server.server("db1").setManualBit(dev.sluice.api.server.StatusBit.MAINTENANCE, false);
        assertThat(post("/v1/maxscale/modules/mariadbmon/rejoin?Cluster&db1").statusCode()).isEqualTo(200);
        HttpResponse<String> back = post("/v1/maxscale/modules/mariadbmon/switchover?Cluster&db1&db2");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(primaryPortThroughSluice()).isEqualTo(topology.primary().port());
    }

    @Test
    void aCommandForAnUnknownMonitorIsNotFound() throws Exception {
        HttpResponse<String> r = post("/v1/maxscale/modules/mariadbmon/switchover?NoSuchMonitor&db2");
        assertThat(r.statusCode()).isEqualTo(404);
    }
}
