package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.admin.ConfigSync;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.testkit.FreePorts;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config_sync_cluster with two Sluice instances in front of one real cluster (a primary and a replica): a runtime
 * change on one reaches the other through the table on the primary, survives the other's restart (and one made
 * while it is down reaches it when it comes back), and a change the other cannot apply leaves it on its version with
 * the reason in config_sync, after which a change made there is refused as a conflict.
 */
@MariaDbCluster(replicas = 1)
class ConfigSyncIT {
    static MariaDbTopology topology;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static SluiceServer start(String cnf) throws Exception {
        ModuleRegistry modules = ModuleRegistry.load();
        // the launcher's path: the static file, then the cached shared configuration (SluiceCommand does the same)
        SluiceServer s = SluiceServer.start(ConfigSync.withCachedObjects(ConfigLoader.parse(cnf, "sync.cnf", modules),
                modules));
        if (!s.awaitReady(Duration.ofSeconds(30))) {
            s.close();
            throw new IllegalStateException("Sluice did not become ready");
        }
        return s;
    }

    String config(String name, int adminPort) {
        return SluiceFixture.baseConfig(topology, "", true).replaceFirst("\\[maxscale\\]\n", "[maxscale]\nadmin_port="
                + adminPort + "\nconfig_sync_cluster=Cluster\nconfig_sync_user=syncer\nconfig_sync_password=syncpw\n"
                + "config_sync_db=sluice_sync\nconfig_sync_interval=200ms\nconfig_sync_timeout=5s\n")
                .replace("datadir=" + topology.directory().resolve("sluice-data"), "datadir=" + dir.resolve(name))
                + SluiceFixture.service("RO", "slave", "db2", "RO-Listener", "");
    }

    static JsonNode sync(AdminRest rest) throws Exception {
        return JSON.readTree(rest.expect(200, "GET", "/v1/maxscale", null)).at("/data/attributes/config_sync");
    }

    static void eventually(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void twoInstancesShareRuntimeChangesThroughTheClusterAcrossARestartAndDivergenceIsReported() throws Exception {
        try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS sluice_sync");
            st.execute("CREATE USER IF NOT EXISTS 'syncer'@'%' IDENTIFIED BY 'syncpw'");
            st.execute("GRANT SELECT, INSERT, UPDATE, CREATE ON sluice_sync.* TO 'syncer'@'%'");
        }
        int portA = FreePorts.allocate();
        int portB = FreePorts.allocate();
        String cnfA = config("a", portA);
        String cnfB = config("b", portB);
        SluiceServer a = start(cnfA);
        SluiceServer[] b = {start(cnfB)}; // B restarts in the middle
        try {
            AdminRest restA = new AdminRest(portA);
            AdminRest restB = new AdminRest(portB);
            eventually("both see the primary", Duration.ofSeconds(20), () -> a.server("db1").status().isMaster()
                    && b[0].server("db1").status().isMaster());
            assertThat(sync(restA).path("version").asLong()).isZero();

            // a change on A reaches B
            restA.expect(204, "POST", "/v1/servers", AdminRest.server("shared1", topology.nodes().get(1).port(), ""));
            restA.expect(204, "PATCH", "/v1/services/RO/relationships/servers",
                    "{\"data\":[{\"id\":\"db2\",\"type\":\"servers\"},{\"id\":\"shared1\",\"type\":\"servers\"}]}");
            JsonNode onA = sync(restA);
            assertThat(onA.path("version").asLong()).isEqualTo(2);
            assertThat(onA.path("origin").asText()).endsWith(":" + portA);
            eventually("B applied version 2", Duration.ofSeconds(20), () -> b[0].server("shared1") != null
                    && b[0].service("RO").servers().size() == 2);
            eventually("B reports version 2 with A's checksum", Duration.ofSeconds(20), () -> {
                try {
                    JsonNode onB = sync(restB);
                    return onB.path("version").asLong() == 2
                            && onB.path("checksum").asText().equals(onA.path("checksum").asText())
                            && onB.at("/nodes").size() == 2;
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(sync(restB).path("status").asText()).isEqualTo("OK");

            // B restarts: it comes back with the shared objects (cached), and gets what A changed meanwhile
            b[0].stop(Duration.ofSeconds(5));
            restA.expect(204, "DELETE", "/v1/servers/shared1?force=yes", null);
            b[0] = start(cnfB);
            SluiceServer restarted = b[0];
            eventually("the restarted B applied version 3", Duration.ofSeconds(20), () -> restarted.server("shared1")
                    == null && restarted.service("RO").servers().size() == 1);
            assertThat(sync(restB).path("version").asLong()).isEqualTo(3);
            assertThat(Files.readString(dir.resolve("b").resolve("sluice-config.json"))).contains("\"version\":3");

            // a change B cannot apply: a listener on a port that A holds on this one machine (on a real pair of
            // hosts, a certificate file missing on B's): B stays at version 3 and says why
            int taken = FreePorts.allocate();
            restA.expect(204, "POST", "/v1/listeners", "{\"data\":{\"id\":\"OnlyA\",\"type\":\"listeners\","
                    + "\"attributes\":{\"parameters\":{\"port\":" + taken + ",\"address\":\"127.0.0.1\"}},"
                    + "\"relationships\":{\"services\":{\"data\":[{\"id\":\"RO\",\"type\":\"services\"}]}}}}");
            eventually("B reports the divergence", Duration.ofSeconds(20), () -> {
                try {
                    return sync(restB).path("status").asText().contains("version 4");
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode diverged = sync(restB);
            assertThat(diverged.path("version").asLong()).isEqualTo(3);
            assertThat(diverged.path("status").asText()).contains("cannot be applied here").contains("OnlyA")
                    .contains("stays at version 3");
            eventually("A sees B's error in nodes", Duration.ofSeconds(20), () -> {
                try {
                    return sync(restA).at("/nodes").toString().contains("cannot be applied");
                } catch (Exception e) {
                    return false;
                }
            });
            // a change on the diverged B is refused: the cluster is ahead of it
            HttpResponse<String> conflict = restB.send("POST", "/v1/servers", AdminRest.server("fromB", 1, ""));
            assertThat(conflict.statusCode()).isEqualTo(400);
            assertThat(conflict.body()).contains("Configuration conflict").contains("version 4")
                    .contains("applied version 3");
            assertThat(b[0].server("fromB")).as("not made").isNull();
        } finally {
            b[0].stop(Duration.ofSeconds(5));
            a.stop(Duration.ofSeconds(5));
        }
    }
}
