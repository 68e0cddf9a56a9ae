package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.CtlCommand;
import dev.sluice.testkit.FreePorts;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions and servers seen through the admin API while real clients use them: a session restart makes a
 * running session take the service's current configuration at its next safe point without dropping its client
 * connection, and a server's statistics (operations in flight, response-time distribution, pool) move with
 * real queries, over HTTP and in /metrics.
 */
@MariaDbCluster(replicas = 1)
@ExtendWith(LeakCheck.class)
class SessionsAdminIT {
    static MariaDbTopology topology;
    private static final ObjectMapper JSON = new ObjectMapper();

    SluiceFixture sluice;
    AdminRest rest;

    @BeforeEach
    void start() throws Exception {
        sluice = SluiceFixture.start(topology, "[maxscale]\nadmin_port=" + FreePorts.allocate() + "\n"
                + SluiceFixture.baseConfig(topology, "", true).substring("[maxscale]\n".length()));
        rest = new AdminRest(sluice.server.adminPort());
    }

    @AfterEach
    void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/test?connectTimeout=10000"
                + "&socketTimeout=30000", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD);
    }

    /** The id of the only session of {@code service}. */
    private String sessionOf(String service) throws Exception {
        JsonNode all = JSON.readTree(rest.expect(200, "GET", "/v1/sessions", null)).get("data");
        String found = null;
        for (JsonNode s : all) {
            if (s.at("/relationships/services/data/0/id").asText().equals(service)) {
                assertThat(found).as("one session of %s", service).isNull();
                found = s.get("id").asText();
            }
        }
        assertThat(found).as("a session of %s in %s", service, all).isNotNull();
        return found;
    }

    private JsonNode configuration(String sessionId) throws Exception {
        return JSON.readTree(rest.expect(200, "GET", "/v1/sessions/" + sessionId, null))
                .at("/data/attributes/configuration");
    }

    @Test
    void restartedSessionTakesTheNewConfigurationAfterItsTransactionAndKeepsItsClientConnection() throws Exception {
        int port = rest.serviceWithListener("Dyn", "slave", "db1", "db2");
        int primary = topology.primary().port();
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            assertThat(SluiceFixture.serverPort(st)).as("slave: the replica").isNotEqualTo(primary);
            String id = sessionOf("Dyn");
            long before = configuration(id).get("snapshot_version").asLong();

            rest.expect(204, "PATCH", "/v1/services/Dyn", AdminRest.parameters("\"router_options\":\"master\""));
            assertThat(SluiceFixture.serverPort(st)).as("the running session keeps its snapshot")
                    .isNotEqualTo(primary);
            JsonNode stale = configuration(id);
            assertThat(stale.get("service_snapshot_version").asLong()).isGreaterThan(before);
            assertThat(stale.get("snapshot_version").asLong()).isEqualTo(before);

            st.execute("START TRANSACTION");
            assertThat(SluiceFixture.serverPort(st)).isNotEqualTo(primary);
            rest.expect(200, "POST", "/v1/sessions/" + id + "/restart", null);
            assertThat(configuration(id).get("restart_pending").asBoolean()).as("waits for the transaction")
                    .isTrue();
            assertThat(SluiceFixture.serverPort(st)).as("inside the transaction: still the old router session")
                    .isNotEqualTo(primary);
            st.execute("COMMIT");

            assertThat(SluiceFixture.serverPort(st)).as("restarted: the new router_options").isEqualTo(primary);
            JsonNode now = configuration(id);
            assertThat(now.get("restart_pending").asBoolean()).isFalse();
            assertThat(now.get("snapshot_version").asLong()).isEqualTo(now.get("service_snapshot_version").asLong());
            assertThat(sessionOf("Dyn")).as("same session, same client connection").isEqualTo(id);
        }
    }

    @Test
    void restartOfAllSessionsKeepsTheSessionStateOfConnectionsTheNewRouterSessionReuses() throws Exception {
        int port = rest.serviceWithListener("Keep", "master", "db1", "db2");
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            st.execute("SET @marker = 42");
            st.execute("CREATE TEMPORARY TABLE restart_tmp (x INT)");
            String id = sessionOf("Keep");
            // any service change publishes a new snapshot
            rest.expect(204, "PATCH", "/v1/services/Keep", AdminRest.parameters("\"connection_keepalive\":\"100s\""));
            assertThat(configuration(id).get("snapshot_version").asLong())
                    .isLessThan(configuration(id).get("service_snapshot_version").asLong());

            CtlCommand.Result r = CtlCommand.run("reload", "sessions", "--port",
                    Integer.toString(sluice.server.adminPort()));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> {
                JsonNode conf = configuration(id);
                return conf.get("snapshot_version").asLong() == conf.get("service_snapshot_version").asLong();
            })).as("an idle session restarts at once").isTrue();

            try (ResultSet rs = st.executeQuery("SELECT @marker, (SELECT COUNT(*) FROM restart_tmp)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the same backend connection, handed to the new router session")
                        .isEqualTo(42);
            }
            CtlCommand.Result one = CtlCommand.run("reload", "session", id, "--port",
                    Integer.toString(sluice.server.adminPort()));
            assertThat(one.exit()).as(one.err()).isZero();
            CtlCommand.Result missing = CtlCommand.run("reload", "session", "987654", "--port",
                    Integer.toString(sluice.server.adminPort()));
            assertThat(missing.exit()).isNotZero();
            assertThat(missing.err()).contains("404");
            assertThat(SluiceFixture.serverPort(st)).isEqualTo(topology.primary().port());
        }
    }

    /** A readwritesplit service RWS over db1, db2 with these parameters, and its listener; returns the port. */
    private int readWriteSplit(String parameters) throws Exception {
        rest.expect(204, "POST", "/v1/services", "{\"data\":{\"id\":\"RWS\",\"type\":\"services\",\"attributes\":"
                + "{\"router\":\"readwritesplit\",\"parameters\":{\"user\":\"maxuser\",\"password\":\"maxpwd\","
                + parameters + "}},\"relationships\":{\"servers\":" + AdminRest.links("servers", "db1", "db2") + "}}}");
        rest.expect(204, "POST", "/v1/listeners", AdminRest.listener("RWS-L", "RWS"));
        return JSON.readTree(rest.expect(200, "GET", "/v1/listeners/RWS-L", null)).at("/data/attributes/bound_port")
                .asInt();
    }

    @Test
    void restartedReadWriteSplitSessionUsesTheNewRouterParametersAndKeepsItsPrimaryConnection() throws Exception {
        int port = readWriteSplit("\"max_slave_connections\":1");
        int primary = topology.primary().port();
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            st.execute("SET @marker = 7");
            assertThat(SluiceFixture.serverPort(st)).as("reads go to the replica").isNotEqualTo(primary);
            rest.expect(204, "PATCH", "/v1/services/RWS", AdminRest.parameters("\"max_slave_connections\":0"));
            assertThat(SluiceFixture.serverPort(st)).as("until restarted").isNotEqualTo(primary);

            String id = sessionOf("RWS");
            rest.expect(200, "POST", "/v1/sessions/" + id + "/restart", null);
            assertThat(SluiceFixture.serverPort(st)).as("max_slave_connections=0: reads on the primary")
                    .isEqualTo(primary);
            try (ResultSet rs = st.executeQuery("SELECT @marker")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the primary connection was handed to the new router session")
                        .isEqualTo(7);
            }
            JsonNode now = configuration(id);
            assertThat(now.get("snapshot_version").asLong()).isEqualTo(now.get("service_snapshot_version").asLong());
        }
    }

    @Test
    void sessionsRestartedOverAndOverWhileClientsRunTransactionsSeeNoErrorAndLoseNoWrite() throws Exception {
        int port = readWriteSplit("\"max_slave_connections\":1");
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TABLE restart_load (client INT, n INT, PRIMARY KEY (client, n))");
        }
        int clients = 6;
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        List<CompletableFuture<Integer>> running = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int client = i;
            running.add(CompletableFuture.supplyAsync(() -> {
                int n = 0;
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    while (System.nanoTime() < until) {
                        st.execute("START TRANSACTION");
                        st.execute("INSERT INTO restart_load VALUES (" + client + ", " + n + ")");
                        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM restart_load WHERE client = "
                                + client)) {
                            rs.next();
                            assertThat(rs.getInt(1)).as("client %d inside its transaction", client).isEqualTo(n + 1);
                        }
                        st.execute("COMMIT");
                        n++;
                        try (ResultSet rs = st.executeQuery("SELECT " + n)) {
                            rs.next();
                            assertThat(rs.getInt(1)).isEqualTo(n);
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("client " + client + " after " + n + " transactions", e);
                }
                return n;
            }));
        }
        int restarts = 0;
        while (System.nanoTime() < until) {
            rest.expect(204, "PATCH", "/v1/services/RWS", AdminRest.parameters("\"max_slave_connections\":"
                    + (restarts % 2)));
            rest.expect(200, "POST", "/v1/sessions/restart", null);
            restarts++;
            if (restarts == 10) {
                assertThat(SluiceFixture.eventually(Duration.ofSeconds(5), () -> {
                    JsonNode all = JSON.readTree(rest.expect(200, "GET", "/v1/sessions", null)).get("data");
                    boolean restarted = all.size() == clients;
                    for (JsonNode session : all) {
                        restarted &= session.at("/attributes/configuration/snapshot_version").asLong() > 1;
                    }
                    return restarted;
                })).as("every busy session was restarted at a safe point").isTrue();
            }
            Thread.sleep(50);
        }
        int total = 0;
        for (CompletableFuture<Integer> f : running) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        assertThat(restarts).isGreaterThan(5);
        assertThat(total).as("every client made progress").isGreaterThanOrEqualTo(clients);
        try (Connection c = DriverManager.getConnection(topology.primary().jdbcUrl("test")
                + "?connectTimeout=10000&socketTimeout=30000",
                MariaDbTopology.APP_USER,
                MariaDbTopology.APP_PASSWORD); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM restart_load")) {
            rs.next();
            assertThat(rs.getInt(1)).as("every committed row, once").isEqualTo(total);
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> JSON.readTree(
                rest.expect(200, "GET", "/v1/sessions", null)).get("data").isEmpty())).as("all clients gone").isTrue();
    }

    private JsonNode statistics(String server) throws Exception {
        return JSON.readTree(rest.expect(200, "GET", "/v1/servers/" + server, null)).at("/data/attributes/statistics");
    }

    private static long sum(JsonNode distribution, String field) {
        long total = 0;
        for (JsonNode b : distribution.at("/distribution")) {
            total += field.equals("count") ? b.get("count").asLong() : Math.round(b.get("total").asDouble() * 1e9);
        }
        return total;
    }

    @Test
    void serverStatisticsMoveWithRealQueries() throws Exception {
        rest.expect(204, "POST", "/v1/servers", AdminRest.server("pooled", topology.primary().port(),
                ",\"persistpoolmax\":4"));
        int port = rest.serviceWithListener("Stats", "running", "pooled");
        JsonNode before = statistics("pooled");
        assertThat(before.get("active_operations").asLong()).isZero();
        JsonNode dist = before.get("response_time_distribution");
        assertThat(dist.at("/read/distribution")).hasSize(12);
        assertThat(dist.at("/read/distribution/0/time").asText()).isEqualTo("0.000001");
        assertThat(dist.at("/write/distribution/11/time").asText()).isEqualTo("100000.000000");

        try (Connection c = connect(port); Statement st = c.createStatement()) {
            for (int i = 0; i < 20; i++) {
                try (ResultSet rs = st.executeQuery("SELECT " + i)) {
                    assertThat(rs.next()).isTrue();
                }
            }
            st.execute("DO SLEEP(0.02)");
            JsonNode during = statistics("pooled");
            assertThat(during.get("connections").asLong()).isEqualTo(1);
            assertThat(during.get("total_connections").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(during.get("routed_packets").asLong()).isGreaterThanOrEqualTo(21);
            JsonNode d = during.get("response_time_distribution");
            assertThat(sum(d.get("read"), "count")).as("result sets count as reads").isGreaterThanOrEqualTo(20);
            assertThat(sum(d.get("write"), "count")).as("OK replies count as writes").isGreaterThanOrEqualTo(1);
            assertThat(sum(d.get("write"), "total")).as("DO SLEEP(0.02) took 20 ms or more")
                    .isGreaterThanOrEqualTo(20_000_000L);

            try (Connection other = connect(port); Statement slow = other.createStatement()) {
                CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                    try {
                        slow.execute("DO SLEEP(3)");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                        () -> statistics("pooled").get("active_operations").asLong() == 1))
                        .as("a query in flight is an active operation").isTrue();
                sleeping.get(30, TimeUnit.SECONDS);
            }
            assertThat(statistics("pooled").get("active_operations").asLong()).isZero();
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> statistics("pooled").get("persistent_connections").asLong() >= 1))
                .as("closed sessions leave their connections in the pool").isTrue();
        JsonNode after = statistics("pooled");
        assertThat(after.get("max_pool_size").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(after.has("connection_pool_empty")).isTrue();

        String metrics = rest.expect(200, "GET", "/metrics", null);
        assertThat(metrics).contains("sluice_server_active_operations{server=\"pooled\"} 0.0")
                .contains("sluice_server_pool_connections{server=\"pooled\"}");
        long readResponses = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("sluice_server_responses_total{") && line.contains("operation=\"read\"")
                    && line.contains("server=\"pooled\"")) {
                readResponses += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        assertThat(readResponses).as("/metrics has the same distribution").isGreaterThanOrEqualTo(20);
    }
}
