package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.CtlCommand;
import dev.sluice.testkit.FreePorts;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What MaxScale's {@code maxctrl} 24.02 sends, against a real Sluice in front of a real primary and two replicas:
 * maxctrl itself is not packaged for this machine (not on npm, not in Debian), so each test replays the REST
 * requests maxctrl's verbs make (read from its sources: link/unlink PATCH back the whole GET document with the
 * relationships changed, destroy listener goes under the service, show replication reads
 * {@code monitor_diagnostics.server_info[].slave_connections[]}, …) and runs the same verbs through
 * {@code sluice ctl}.
 */
@MariaDbCluster(replicas = 2)
class MaxCtrlParityIT {
    static MariaDbTopology topology;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static SluiceFixture sluice;
    static Path certDir;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        certDir = Files.createDirectories(dir.resolve("tls"));
        Path[] cert = SluiceFixture.selfSignedCertificate(certDir, "first");
        String cnf = SluiceFixture.baseConfig(topology, "", true)
                .replaceFirst("\\[maxscale\\]\n", "[maxscale]\nadmin_port=" + FreePorts.allocate() + "\n")
                + "[solo]\ntype=server\naddress=127.0.0.1\nport=" + topology.primary().port() + "\n\n"
                + "[F1]\ntype=filter\nmodule=regexfilter\nmatch=before_value\nreplace=after_value\n\n"
                + "[RW]\ntype=service\nrouter=readwritesplit\ncluster=Cluster\nuser=maxuser\npassword=maxpwd\n\n"
                + "[RW-Listener]\ntype=listener\nservice=RW\nport=0\naddress=127.0.0.1\n\n"
                + SluiceFixture.service("RO", "slave", "db2,db3", "RO-Listener", "")
                + SluiceFixture.service("Solo", "running", "solo", "Solo-Listener", "")
                + "[Tls]\ntype=service\nrouter=readconnroute\nrouter_options=master\ncluster=Cluster\n"
                + "user=maxuser\npassword=maxpwd\n\n[Tls-Listener]\ntype=listener\nservice=Tls\nport=0\n"
                + "address=127.0.0.1\nssl=true\nssl_cert=" + cert[0] + "\nssl_key=" + cert[1] + "\n";
        sluice = SluiceFixture.start(topology, cnf);
        eventually("the monitor found the primary", () -> sluice.server.server("db1").status().isMaster());
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    // ---- HTTP as maxctrl does it

    static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.server.adminPort()
                        + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:mariadb".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null);
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static void expect(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    }

    static CtlCommand.Result ctl(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--port");
        all.add(Integer.toString(sluice.server.adminPort()));
        return CtlCommand.run(all.toArray(String[]::new));
    }

    static String ok(String... args) {
        CtlCommand.Result r = ctl(args);
        assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r.out();
    }

    static List<String> ids(JsonNode doc, String relationship) {
        List<String> out = new ArrayList<>();
        doc.at("/data/relationships/" + relationship + "/data").forEach(d -> out.add(d.get("id").asText()));
        return out;
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /** maxctrl's link/unlink: GET the object, change one relationship's data, drop attributes, PATCH it all back. */
    static void patchBack(String path, String relationship, List<String> ids) throws Exception {
        ObjectNode doc = (ObjectNode) get(path);
        ObjectNode data = (ObjectNode) doc.get("data");
        data.remove("attributes");
        for (String kind : List.of("servers", "services", "monitors", "filters")) {
            if (!data.path("relationships").has(kind)) {
                ((ObjectNode) data.with("relationships")).putObject(kind).putArray("data");
            }
        }
        ArrayNode rel = ((ObjectNode) data.get("relationships").get(relationship)).putArray("data");
        ids.forEach(id -> rel.addObject().put("id", id).put("type", relationship));
        expect(204, "PATCH", path, doc.toString());
    }

    // ---- the verbs

    @Test
    void linkAndUnlinkOfAServiceAndAMonitorWithMaxctrlsDocuments() throws Exception {
        patchBack("/v1/services/RO", "servers", List.of("db2", "db3", "solo"));
        patchBack("/v1/services/RO", "filters", List.of("F1"));
        JsonNode ro = get("/v1/services/RO");
        assertThat(ids(ro, "servers")).containsExactly("db2", "db3", "solo");
        assertThat(ids(ro, "filters")).as("not [null]").containsExactly("F1");
        assertThat(ro.at("/data/attributes/parameters/router_options").asText()).as("a string, as MaxScale")
                .isEqualTo("slave");
        patchBack("/v1/services/RO", "servers", List.of("db2", "db3"));
        patchBack("/v1/services/RO", "filters", List.of());
        assertThat(ids(get("/v1/services/RO"), "filters")).isEmpty();

        expect(204, "POST", "/v1/servers", AdminRest.server("spare", 1, ""));
        JsonNode before = get("/v1/monitors/Cluster");
        assertThat(ids(before, "services")).as("services over the cluster").contains("RW", "Tls");
        patchBack("/v1/monitors/Cluster", "servers", List.of("db1", "db2", "db3", "spare"));
        assertThat(ids(get("/v1/monitors/Cluster"), "servers")).contains("spare");
        assertThat(ids(get("/v1/monitors/Cluster"), "services")).as("unchanged by the PATCH").contains("RW", "Tls");
        patchBack("/v1/monitors/Cluster", "servers", List.of("db1", "db2", "db3"));
        assertThat(ids(get("/v1/monitors/Cluster"), "servers")).doesNotContain("spare");

        ok("link", "service", "RO", "spare");
        assertThat(ids(get("/v1/services/RO"), "servers")).contains("spare");
        ok("unlink", "service", "RO", "spare");
        assertThat(ids(get("/v1/services/RO"), "servers")).containsExactly("db2", "db3");
        expect(204, "DELETE", "/v1/servers/spare", null);
    }

    @Test
    void statusCodesAreMaxScales() throws Exception {
        HttpResponse<String> inUse = send("DELETE", "/v1/servers/db2", null);
        assertThat(inUse.statusCode()).as("in use by RO: 400 as MaxScale, not 409").isEqualTo(400);
        assertThat(inUse.body()).contains("service 'RO'");
        expect(400, "POST", "/v1/servers", AdminRest.server("db2", 1, ""));
        expect(404, "GET", "/v1/servers/nosuch", null);
        expect(405, "PUT", "/v1/servers", null);
    }

    @Test
    void etagIfNoneMatchAndIfMatch() throws Exception {
        HttpResponse<String> first = send("GET", "/v1/servers/solo", null);
        String tag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(tag).matches("\"[0-9a-f]{40}\"");
        assertThat(send("GET", "/v1/servers/solo", null, "If-None-Match", tag).statusCode()).isEqualTo(304);
        String patch = AdminRest.parameters("\"rank\":\"secondary\"");
        HttpResponse<String> stale = send("PATCH", "/v1/servers/solo", patch, "If-Match", "\"0000\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(get("/v1/servers/solo").at("/data/attributes/parameters/rank").asText()).isEqualTo("primary");
        HttpResponse<String> fresh = send("PATCH", "/v1/servers/solo", patch, "If-Match", tag);
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(204);
        assertThat(get("/v1/servers/solo").at("/data/attributes/parameters/rank").asText()).isEqualTo("secondary");
        assertThat(send("GET", "/v1/servers/solo", null, "If-None-Match", tag).statusCode()).as("changed since")
                .isEqualTo(200);
        expect(204, "PATCH", "/v1/servers/solo", AdminRest.parameters("\"rank\":\"primary\""));
    }

    @Test
    void listenersUnderTheirServiceAndDestroyListenerServiceName() throws Exception {
        expect(204, "POST", "/v1/services/RO/listeners", "{\"data\":{\"id\":\"RO-2\",\"type\":\"listeners\","
                + "\"attributes\":{\"parameters\":{\"port\":0,\"address\":\"127.0.0.1\"}}}}");
        JsonNode mine = get("/v1/services/RO/listeners");
        List<String> names = new ArrayList<>();
        mine.path("data").forEach(l -> names.add(l.path("id").asText()));
        assertThat(names).containsExactlyInAnyOrder("RO-Listener", "RO-2");
        assertThat(get("/v1/services/RO/listeners/RO-2").at("/data/id").asText()).isEqualTo("RO-2");
        expect(404, "GET", "/v1/services/RW/listeners/RO-2", null);
        expect(404, "DELETE", "/v1/services/RW/listeners/RO-2", null);
        ok("destroy", "listener", "RO", "RO-2");
        expect(404, "GET", "/v1/listeners/RO-2", null);
    }

    @Test
    void showReplicationAsMaxctrlReadsIt() throws Exception {
        eventually("the replicas are seen", () -> sluice.server.server("db3").status().isSlave());
        JsonNode info = get("/v1/monitors/Cluster").at("/data/attributes/monitor_diagnostics/server_info");
        assertThat(info.size()).isEqualTo(3);
        String out = ok("show", "replication", "--tsv");
        assertThat(out.lines().toList()).hasSize(2).allSatisfy(l -> {
            String[] cells = l.split("\t");
            assertThat(cells[0]).isIn("db2", "db3");
            assertThat(cells[1]).as("the source by name").isEqualTo("db1");
            assertThat(cells[2]).isEqualTo("Yes");
            assertThat(cells[5]).isEqualTo("Slave_Pos");
        });
        assertThat(ok("show", "replication", "--monitor", "Other", "--tsv")).isEmpty();
    }

    @Test
    void fetchCmdResultBeforeAnyAsyncCommandIsEmpty() throws Exception {
        JsonNode r = get("/v1/maxscale/modules/mariadbmon/fetch-cmd-result?Cluster");
        assertThat(r.at("/meta/message").asText()).isEmpty();
        ok("call", "command", "mariadbmon", "fetch-cmd-result", "Cluster");
    }

    @Test
    void queryClassifierCacheAndShowQcCache() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                st.executeQuery("SELECT 4711 + 1").close();
            }
        }
        JsonNode qc = get("/v1/maxscale/query_classifier");
        assertThat(qc.at("/data/attributes/parameters/cache_size").asLong()).isPositive();
        assertThat(qc.at("/data/attributes/cache/hits").asLong()).isGreaterThanOrEqualTo(4);
        JsonNode cache = get("/v1/maxscale/query_classifier/cache?top=100");
        JsonNode row = null;
        for (JsonNode e : cache.path("data")) {
            if (e.path("id").asText().startsWith("SELECT ? + ?")) {
                row = e;
            }
        }
        assertThat(row).as("the statement, canonical, in " + cache).isNotNull();
        assertThat(row.at("/attributes/hits").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(row.at("/attributes/classification/type_mask").asText()).contains("READ");
        assertThat(ok("show", "qc_cache")).contains("SELECT ? + ?").contains("Hits");
    }

    @Test
    void setAndClearStatesOnAnUnmonitoredServerAndRefusedOnAMonitoredOne() throws Exception {
        HttpResponse<String> monitored = send("PUT", "/v1/servers/db1/set?state=master", null);
        assertThat(monitored.statusCode()).isEqualTo(400);
        assertThat(monitored.body()).contains("monitored");
        ok("set", "server", "solo", "master", "synced");
        assertThat(get("/v1/servers/solo").at("/data/attributes/state").asText()).contains("Master", "Synced");
        ok("clear", "server", "solo", "master", "synced", "running");
        assertThat(get("/v1/servers/solo").at("/data/attributes/state").asText()).isEqualTo("Down");
        assertThatThrownBy(() -> sluice.app("Solo-Listener").close()).as("no running server")
                .isInstanceOf(SQLException.class);
        ok("set", "server", "solo", "running");
        try (Connection c = sluice.app("Solo-Listener"); Statement st = c.createStatement()) {
            assertThat(SluiceFixture.serverPort(st)).isEqualTo(topology.primary().port());
        }
    }

    @Test
    void maintenanceClosesSessionsAfterTheirTransactionAndForceClosesAll() throws Exception {
        try (Connection idle = sluice.app("Solo-Listener"); Connection inTrx = sluice.app("Solo-Listener");
             Statement idleSt = idle.createStatement(); Statement trxSt = inTrx.createStatement()) {
            idleSt.executeQuery("SELECT 1").close();
            trxSt.execute("START TRANSACTION");
            ok("set", "server", "solo", "maintenance");
            try {
                assertThat(get("/v1/servers/solo").at("/data/attributes/state").asText()).contains("Maintenance");
                eventually("the idle session is closed", () -> !works(idleSt));
                assertThat(works(trxSt)).as("the open transaction goes on").isTrue();
                trxSt.execute("COMMIT");
                eventually("the session is closed once its transaction ended", () -> !works(trxSt));
            } finally {
                ok("clear", "server", "solo", "maintenance");
            }
        }
        try (Connection inTrx = sluice.app("Solo-Listener"); Statement st = inTrx.createStatement()) {
            st.execute("START TRANSACTION");
            ok("set", "server", "solo", "maintenance", "--force");
            try {
                eventually("--force closes it inside its transaction", () -> !works(st));
            } finally {
                ok("clear", "server", "solo", "maintenance");
            }
        }
    }

    static boolean works(Statement st) {
        try (ResultSet rs = st.executeQuery("SELECT 1")) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }

    @Test
    void drainShowsDrainingThenDrained() throws Exception {
        try (Connection c = sluice.app("Solo-Listener"); Statement st = c.createStatement()) {
            st.executeQuery("SELECT 1").close();
            ok("set", "server", "solo", "drain");
            try {
                assertThat(get("/v1/servers/solo").at("/data/attributes/state").asText()).contains("Draining");
                assertThat(works(st)).as("a draining server keeps its sessions").isTrue();
                assertThatThrownBy(() -> sluice.app("Solo-Listener").close()).as("but takes no new ones")
                        .isInstanceOf(SQLException.class);
            } catch (AssertionError | Exception e) {
                ok("clear", "server", "solo", "drain");
                throw e;
            }
        }
        try {
            eventually("Drained once the last connection is gone", () -> {
                try {
                    return get("/v1/servers/solo").at("/data/attributes/state").asText().contains("Drained");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            ok("clear", "server", "solo", "drain");
        }
        HttpResponse<String> primary = send("PUT", "/v1/servers/db1/set?state=drain", null);
        assertThat(primary.statusCode()).as(primary.body()).isEqualTo(400);
    }

    @Test
    void showAsTablesAndShowDbusers() {
        String server = ok("show", "server", "db1");
        assertThat(server).startsWith("┌").contains("│ State").contains("Master, Running").contains("│ Parameters");
        assertThat(ok("show", "services")).contains("│ Service").contains("RW").contains("RO").contains("Solo");
        assertThat(ok("show", "maxscale")).contains("│ Version");
        assertThat(ok("show", "dbusers", "RW", "--tsv")).contains("app\t");
        assertThat(ok("list", "services", "--tsv").lines()).as("targets: servers, or the cluster")
                .anyMatch(l -> l.startsWith("RW\t") && l.endsWith("\tCluster"))
                .anyMatch(l -> l.startsWith("RO\t") && l.endsWith("\tdb2, db3"));
    }

    @Test
    void sessionFiltersAlterAndDestroyWithTtl() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            assertThat(value(st, "SELECT 'before_value'")).isEqualTo("before_value");
            String id = sessionOf("RW");
            ok("alter", "session-filters", id, "F1");
            eventually("the session restarted with the filter", () -> {
                try {
                    return value(st, "SELECT 'before_value'").equals("after_value");
                } catch (SQLException e) {
                    return false;
                }
            });
            CtlCommand.Result params = ctl("alter", "session", id, "log_info", "true");
            assertThat(params.exit()).isEqualTo(1);
            assertThat(params.err()).contains("not supported");
            ok("destroy", "session", id, "--ttl", "1");
            assertThat(works(st)).as("alive during its ttl").isTrue();
            eventually("closed after its ttl", () -> !works(st));
        }
    }

    static String value(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String sessionOf(String service) throws Exception {
        for (JsonNode s : get("/v1/sessions").path("data")) {
            if (s.at("/relationships/services/data/0/id").asText().equals(service)) {
                return s.path("id").asText();
            }
        }
        throw new AssertionError("no session of " + service);
    }

    @Test
    void reloadTlsServesTheNewCertificateAndKeepsRunningSessions() throws Exception {
        Path old = certDir.resolve("cert.pem");
        Path oldCopy = Files.copy(old, dir.resolve("first.pem"));
        String url = "jdbc:mariadb://127.0.0.1:" + sluice.port("Tls-Listener") + "/test?sslMode=verify-ca"
                + "&serverSslCert=";
        try (Connection running = java.sql.DriverManager.getConnection(url + oldCopy, "app", "apppwd");
             Statement st = running.createStatement()) {
            Path next = Files.createDirectories(dir.resolve("tls-next"));
            Path[] fresh = SluiceFixture.selfSignedCertificate(next, "second");
            Files.copy(fresh[0], certDir.resolve("cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(fresh[1], certDir.resolve("key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url + fresh[0], "app", "apppwd").close())
                    .as("not reloaded yet: the old certificate").isInstanceOf(SQLException.class);
            ok("reload", "tls");
            try (Connection c = java.sql.DriverManager.getConnection(url + fresh[0], "app", "apppwd")) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertThat(works(st)).as("the session opened before the reload").isTrue();
        }
    }

    @Test
    void stopAndStartMaxscaleStopsAndStartsEveryService() throws Exception {
        ok("stop", "maxscale");
        try {
            for (JsonNode s : get("/v1/services").path("data")) {
                assertThat(s.at("/attributes/state").asText()).as(s.path("id").asText()).isEqualTo("Stopped");
            }
        } finally {
            ok("start", "services");
        }
        for (JsonNode s : get("/v1/services").path("data")) {
            assertThat(s.at("/attributes/state").asText()).isEqualTo("Started");
        }
    }

    @Test
    void createReportAndListQueriesNeedsRetainedStatements() throws Exception {
        Path report = dir.resolve("report.json");
        ok("create", "report", report.toString());
        JsonNode r = JSON.readTree(report.toFile());
        assertThat(r.at("/servers/data").size()).isGreaterThanOrEqualTo(4);
        assertThat(r.at("/query_classifier/data/id").asText()).isEqualTo("query_classifier");
        assertThat(r.has("threads")).isTrue();
        CtlCommand.Result again = ctl("create", "report", report.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
        CtlCommand.Result queries = ctl("list", "queries");
        assertThat(queries.exit()).isEqualTo(1);
        assertThat(queries.err()).contains("retain_last_statements");
    }

    @Test
    void maxctrlOptionFileGivesDefaultsAndABadOneIsRefusedClearly() throws Exception {
        Path good = dir.resolve("good.cnf");
        Files.writeString(good, "# maxctrl defaults\n[maxctrl]\nuser=admin\npassword=mariadb\nhosts=127.0.0.1:"
                + sluice.server.adminPort() + "\ntsv=true\n");
        Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rw-------"));
        CtlCommand.Result listed = CtlCommand.run("-c", good.toString(), "list", "servers");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).as("tsv from the file").contains("db1\t127.0.0.1");
        CtlCommand.Result wrongPassword = CtlCommand.run("-c", good.toString(), "list", "servers", "-p", "nope");
        assertThat(wrongPassword.err()).as("the command line wins").contains("HTTP 401");

        Path readable = dir.resolve("readable.cnf");
        Files.writeString(readable, "[maxctrl]\nuser=admin\n");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        CtlCommand.Result open = CtlCommand.run("-c", readable.toString(), "list", "servers");
        assertThat(open.exit()).isEqualTo(2);
        assertThat(open.err()).contains(readable.toString()).contains("group and world");

        Path broken = dir.resolve("broken.cnf");
        Files.writeString(broken, "[maxctrl]\nuser=admin\nthis line has no value\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rw-------"));
        CtlCommand.Result bad = CtlCommand.run("-c", broken.toString(), "list", "servers");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains(broken + ":3:").contains("expected key=value");

        Path unsupported = dir.resolve("unsupported.cnf");
        Files.writeString(unsupported, "[maxctrl]\nskip-verify=true\n");
        Files.setPosixFilePermissions(unsupported, PosixFilePermissions.fromString("rw-------"));
        CtlCommand.Result skip = CtlCommand.run("-c", unsupported.toString(), "list", "servers");
        assertThat(skip.exit()).isEqualTo(2);
        assertThat(skip.err()).contains("skip-verify").contains("not supported");
    }
}
