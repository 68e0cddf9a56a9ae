package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.core.Lifecycles;
import dev.sluice.server.core.Lifecycles.Kind;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.core.ServiceRuntime;
import dev.sluice.testkit.FreePorts;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runtime changes seen by real clients, one at a time: running sessions keep the configuration they started
 * with, a destroyed service serves its sessions to the end and is released with the last one, a destroyed
 * listener refuses at once, a force-destroyed server is released when the last session using it ends.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class RuntimeChangesIT {
    static MariaDbTopology topology;
    private static final ObjectMapper JSON = new ObjectMapper();

    SluiceFixture sluice;
    AdminRest rest;

    @BeforeEach
    void start() throws Exception {
        String cnf = SluiceFixture.baseConfig(topology, "", true)
                .replaceFirst("\\[maxscale\\]\n", "[maxscale]\nadmin_port=" + FreePorts.allocate() + "\n");
        sluice = SluiceFixture.start(topology, cnf);
        rest = new AdminRest(sluice.server.adminPort());
    }

    @AfterEach
    void stop() {
        if (sluice != null) {
            sluice.close();
            Lifecycles l = sluice.server.lifecycles();
            for (Kind k : Kind.values()) {
                assertThat(l.releasedCount(k)).as("%s released exactly once each: %s", k, l)
                        .isEqualTo(l.createdCount(k));
            }
        }
    }

    private int createServiceWithListener(String service, String routerOptions, String... servers) throws Exception {
        rest.expect(204, "POST", "/v1/services", AdminRest.service(service, routerOptions, servers));
        rest.expect(204, "POST", "/v1/listeners", AdminRest.listener(service + "-L", service));
        return JSON.readTree(rest.expect(200, "GET", "/v1/listeners/" + service + "-L", null))
                .at("/data/attributes/bound_port").asInt();
    }

    private static Connection connect(int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", MariaDbTopology.APP_USER);
        p.setProperty("password", MariaDbTopology.APP_PASSWORD);
        p.setProperty("connectTimeout", "10000");
        return DriverManager.getConnection(SluiceFixture.bounded("jdbc:mariadb://127.0.0.1:" + port + "/test"), p);
    }

    @Test
    void alteredServiceAppliesToNewSessionsWhileRunningOnesKeepTheirSnapshot() throws Exception {
        int port = createServiceWithListener("Dyn", "master", "db1", "db2", "db3");
        try (Connection before = connect(port); Statement st = before.createStatement()) {
            assertThat(SluiceFixture.serverPort(st)).isEqualTo(topology.primary().port());
            rest.expect(204, "PATCH", "/v1/services/Dyn", AdminRest.parameters("\"router_options\":\"slave\""));
            try (Connection after = connect(port); Statement st2 = after.createStatement()) {
                assertThat(SluiceFixture.serverPort(st2)).as("a new session routes with the new options")
                        .isNotEqualTo(topology.primary().port());
            }
            assertThat(SluiceFixture.serverPort(st)).as("the running session keeps its snapshot")
                    .isEqualTo(topology.primary().port());
        }
    }

    @Test
    void destroyedServiceServesItsSessionsToTheEndAndIsReleasedWithTheLast() throws Exception {
        int port = createServiceWithListener("Dyn", "master", "db1");
        ServiceRuntime service = sluice.server.service("Dyn");
        int released = sluice.server.lifecycles().releasedCount(Kind.SERVICE);
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            assertThat(rest.send("DELETE", "/v1/services/Dyn", null).statusCode()).as("in use by its listener")
                    .isEqualTo(400);
            rest.expect(204, "DELETE", "/v1/services/Dyn?force=yes", null);
            assertThat(sluice.server.service("Dyn")).isNull();
            assertThatThrownBy(() -> connect(port).close()).as("its listener is gone at once")
                    .isInstanceOf(SQLException.class);
            assertThat(SluiceFixture.serverPort(st)).as("the running session carries on")
                    .isEqualTo(topology.primary().port());
            assertThat(sluice.server.lifecycles().releasedCount(Kind.SERVICE)).as("held by the session")
                    .isEqualTo(released);
            assertThat(service.tryRetain()).isTrue(); // still alive: a holder may retain …
            service.release();                        // … and release
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> sluice.server.lifecycles().releasedCount(Kind.SERVICE) == released + 1)).isTrue();
        assertThat(service.tryRetain()).as("a released service is never revived").isFalse();
    }

    @Test
    void forceDestroyedServerIsReleasedWhenItsLastSessionEnds() throws Exception {
        rest.expect(204, "POST", "/v1/servers", AdminRest.server("extra", topology.primary().port(),
                ",\"persistpoolmax\":4"));
        int port = createServiceWithListener("Dyn", "running", "extra");
        ServerRuntime extra = sluice.server.server("extra");
        int released = sluice.server.lifecycles().releasedCount(Kind.SERVER);
        // a first session leaves its backend connection in the pool
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            assertThat(SluiceFixture.serverPort(st)).isEqualTo(topology.primary().port());
        }
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            SluiceFixture.serverPort(st);
            rest.expect(400, "DELETE", "/v1/servers/extra", null);
            rest.expect(204, "DELETE", "/v1/servers/extra?force=yes", null);
            assertThat(sluice.server.service("Dyn").servers()).isEmpty();
            assertThat(SluiceFixture.serverPort(st)).as("the session's connection to it carries on")
                    .isEqualTo(topology.primary().port());
            assertThat(sluice.server.lifecycles().releasedCount(Kind.SERVER)).isEqualTo(released);
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> sluice.server.lifecycles().releasedCount(Kind.SERVER) == released + 1))
                .as("released once its last connection (pooled or in use) closed").isTrue();
        assertThat(extra.refCount()).isZero();
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10),
                () -> SluiceFixture.processCount(topology.primary(), MariaDbTopology.APP_USER) == 0))
                .as("no backend connection left (the pooled one was closed)").isTrue();
    }
}
