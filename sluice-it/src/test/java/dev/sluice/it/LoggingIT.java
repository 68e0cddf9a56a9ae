package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.SluiceCommand;
import dev.sluice.testkit.FreePorts;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Logging of a real {@code sluice --config} process in front of a real server: the JSON log file, rotation by
 * SIGUSR1, by {@code POST /v1/maxscale/logs/flush} and by {@code sluice ctl rotate logs} (after logrotate-style
 * renames), {@code sluice ctl enable|disable log-priority}, {@code show logging}, {@code alter logging},
 * {@code PATCH /v1/maxscale/logs}, syslog switched on at runtime, refused and startup-only parameters in
 * {@code PATCH /v1/maxscale}, and {@code retain_last_statements} / {@code dump_last_statements=on_close}
 * (global, and switched off for one service by the service's own retain_last_statements=0), session_trace with
 * session_trace_match, and the OTLP
 * metrics export ({@code telemetry=true}) to a small OTLP/HTTP receiver in the test; docs/grafana-dashboard.json
 * queries only metrics this Sluice's {@code /metrics} serves.
 */
@MariaDbCluster(replicas = 1)
class LoggingIT {
    static MariaDbTopology topology;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static SluiceProcess sluice;
    static DatagramSocket syslog;
    /** A small OTLP/HTTP receiver on loopback: the bodies (protobuf) of the requests it got. */
    static com.sun.net.httpserver.HttpServer otlp;
    static final java.util.concurrent.BlockingQueue<byte[]> exports = new java.util.concurrent.LinkedBlockingQueue<>();
    static final java.util.List<String> contentTypes = new java.util.concurrent.CopyOnWriteArrayList<>();
    static AdminRest rest;
    static int listenerPort;
    static int quietPort;

    @BeforeAll
    static void start() throws Exception {
        syslog = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        otlp = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(),
                0), 0);
        otlp.createContext("/v1/metrics", exchange -> {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            exports.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        otlp.start();
        List<Integer> ports = FreePorts.allocate(3);
        listenerPort = ports.get(1);
        quietPort = ports.get(2);
        Path cnf = dir.resolve("sluice.cnf");
        Files.writeString(cnf, SluiceProcess.config(topology, ports.get(0), listenerPort, "logdir=" + dir.resolve("log")
                + "\ndatadir=" + dir.resolve("data") + "\nlog_format=json\nretain_last_statements=2\n"
                + "dump_last_statements=on_close\nsession_trace=20\nsession_trace_match=closed: client quit\ntelemetry=true\ntelemetry_interval=1s\ntelemetry_url=http://127.0.0.1:"
                + otlp.getAddress().getPort() + "/v1/metrics\n", "")
                + "\n[Quiet]\ntype=service\nrouter=readconnroute\nrouter_options=master\ncluster=Cluster\n"
                + "user=maxuser\npassword=maxpwd\nretain_last_statements=0\n\n"
                + "[Quiet-L]\ntype=listener\nservice=Quiet\naddress=127.0.0.1\nport=" + quietPort + "\n");
        sluice = SluiceProcess.start(cnf, ports.get(0), "-D" + dev.sluice.server.logging.Logs.SYSLOG_ADDRESS_PROPERTY
                + "=127.0.0.1:" + syslog.getLocalPort());
        rest = new AdminRest(sluice.adminPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        if (syslog != null) {
            syslog.close();
        }
        if (otlp != null) {
            otlp.stop(0);
        }
    }

    static Path log() {
        return dir.resolve("log").resolve("sluice.log");
    }

    static boolean logContains(Path file, String text) throws Exception {
        return Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).contains(text);
    }

    /** {@code sluice ctl ARGS --port ADMIN}, in this JVM; returns the exit code and what it printed. */
    static String[] ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SluiceCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 3];
        all[0] = "ctl";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--port";
        all[args.length + 2] = Integer.toString(sluice.adminPort);
        int exit = cl.execute(all);
        return new String[] {Integer.toString(exit), out.toString(), err.toString()};
    }

    static Connection connect(int port) throws Exception {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/test",
                MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD);
    }

    @Test
    void theLogFileIsJsonAndReopensOnSigusr1RestAndCtlAfterARename() throws Exception {
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(30), () -> Files.exists(log()))).isTrue();
        for (String line : Files.readAllLines(log())) {
            JsonNode n = JSON.readTree(line);
            assertThat(n.has("timestamp") && n.has("priority") && n.has("module") && n.has("message")).as(line).isTrue();
        }
        Files.move(log(), dir.resolve("log").resolve("sluice.log.1"));
        sluice.signal("USR1");
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> logContains(log(), "reopened")))
                .as("a new log file after SIGUSR1").isTrue();

        Files.move(log(), dir.resolve("log").resolve("sluice.log.2"));
        rest.expect(204, "POST", "/v1/maxscale/logs/flush", null);
        assertThat(logContains(log(), "reopened")).as("a new log file after POST logs/flush").isTrue();

        Files.move(log(), dir.resolve("log").resolve("sluice.log.3"));
        String[] r = ctl("rotate", "logs");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(logContains(log(), "reopened")).as("a new log file after ctl rotate logs").isTrue();
        assertThat(Files.readString(dir.resolve("log").resolve("sluice.log.1"))).as("the renamed file was closed")
                .doesNotContain("SIGUSR1 handler");
    }

    @Test
    void logPrioritiesAndParametersChangeThroughCtlAndRest() throws Exception {
        String[] r = ctl("enable", "log-priority", "info");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode logs = JSON.readTree(rest.expect(200, "GET", "/v1/maxscale/logs", null)).at("/data/attributes");
        assertThat(logs.at("/parameters/log_info").asBoolean()).isTrue();
        assertThat(logs.get("log_priorities").toString()).contains("\"info\"");
        assertThat(logs.get("log_file").asText()).isEqualTo(log().toString());

        r = ctl("disable", "log-priority", "info");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        r = ctl("alter", "logging", "ms_timestamp", "true", "log_format", "text");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        r = ctl("show", "logging");
        assertThat(r[1]).contains("Current Log File").contains(log().toString()).contains("Enabled Log Levels")
                .contains("ms_timestamp").containsPattern("log_info\\s*│\\s*false");
        rest.expect(204, "POST", "/v1/maxscale/logs/flush", null);
        List<String> lines = Files.readAllLines(log());
        assertThat(lines.get(lines.size() - 1)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}   notice : "
                + "\\(Logs\\) Log file .* reopened .*");

        r = ctl("enable", "log-priority", "verbose");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("unknown log priority 'verbose'");
        String bad = rest.expect(400, "PATCH", "/v1/maxscale/logs", AdminRest.parameters("\"threads\": 4"));
        assertThat(bad).contains("'threads' is not a logging parameter");
        bad = rest.expect(400, "PATCH", "/v1/maxscale", AdminRest.parameters("\"max_auth_errors_until_block\": 3"));
        assertThat(bad).contains("not supported by Sluice");
        bad = rest.expect(400, "PATCH", "/v1/maxscale", AdminRest.parameters("\"auth_connect_timeout\": \"5s\""));
        assertThat(bad).contains("cannot be modified at runtime");
        r = ctl("alter", "logging", "log_format", "json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
    }

    @Test
    void syslogSwitchedOnAtRuntimeReceivesTheLines() throws Exception {
        rest.expect(204, "PATCH", "/v1/maxscale", AdminRest.parameters("\"syslog\": true"));
        try {
            syslog.setSoTimeout(5000);
            rest.expect(204, "POST", "/v1/maxscale/logs/flush", null);
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            String text = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!text.contains("reopened") && System.nanoTime() < deadline) {
                syslog.receive(p);
                text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            }
            assertThat(text).startsWith("<14>").contains("sluice[").contains("(Logs) Log file");
        } finally {
            rest.expect(204, "PATCH", "/v1/maxscale", AdminRest.parameters("\"syslog\": false"));
        }
    }

    @Test
    void metricsAreExportedOverOtlpToTheReceiver() throws Exception {
        try (Connection c = connect(listenerPort); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
        boolean seen = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!seen && System.nanoTime() < deadline) {
            byte[] body = exports.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            if (body == null) {
                continue;
            }
            var request = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.parseFrom(body);
            for (var rm : request.getResourceMetricsList()) {
                boolean sluiceResource = rm.getResource().getAttributesList().stream().anyMatch(a ->
                        a.getKey().equals("service.name") && a.getValue().getStringValue().equals("sluice"));
                for (var sm : rm.getScopeMetricsList()) {
                    for (var m : sm.getMetricsList()) {
                        boolean db1 = m.getName().equals("sluice.server.connections.opened") && m.getSum()
                                .getDataPointsList().stream().anyMatch(p -> p.getAsDouble() >= 1 && p.getAttributesList()
                                        .stream().anyMatch(a -> a.getKey().equals("server")
                                                && a.getValue().getStringValue().equals("db1")));
                        seen |= sluiceResource && db1;
                    }
                }
            }
        }
        assertThat(seen).as("an OTLP export with sluice.server.connections.opened{server=db1} >= 1").isTrue();
        assertThat(contentTypes).contains("application/x-protobuf");
    }

    @Test
    void theGrafanaDashboardUsesOnlyMetricsThatSluiceExports() throws Exception {
        try (Connection c = connect(listenerPort); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
        String scrape = rest.expect(200, "GET", "/metrics", null);
        Path dashboard = Path.of("..", "docs", "grafana-dashboard.json");
        JsonNode doc = JSON.readTree(Files.readString(dashboard));
        assertThat(doc.get("panels")).isNotEmpty();
        java.util.Set<String> used = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("sluice_[a-z_]+").matcher(doc.toString());
        while (m.find()) {
            used.add(m.group());
        }
        assertThat(used).hasSizeGreaterThan(10);
        for (String metric : used) {
            assertThat(scrape).as("%s in /metrics", metric).containsPattern("(?m)^" + metric + "[{ ]");
        }
    }

    @Test
    void retainedStatementsAreShownAndLoggedWhenTheSessionCloses() throws Exception {
        String marker = "marker_" + System.nanoTime();
        try (Connection c = connect(listenerPort); Statement s = c.createStatement();
             Connection q = connect(quietPort); Statement qs = q.createStatement()) {
            s.execute("SELECT 1");
            s.execute("SELECT '" + marker + "_a'");
            s.execute("SELECT '" + marker + "_b'");
            qs.execute("SELECT 'quiet'");
            JsonNode sessions = JSON.readTree(rest.expect(200, "GET", "/v1/sessions", null)).get("data");
            JsonNode rw = null;
            JsonNode quiet = null;
            for (JsonNode session : sessions) {
                String service = session.at("/relationships/services/data/0/id").asText();
                if (service.equals("RW")) {
                    rw = session;
                } else if (service.equals("Quiet")) {
                    quiet = session;
                }
            }
            assertThat(rw).isNotNull();
            JsonNode queries = rw.at("/attributes/queries");
            assertThat(queries).hasSize(2);
            assertThat(queries.get(0).get("statement").asText()).isEqualTo("SELECT '" + marker + "_a'");
            assertThat(queries.get(1).get("statement").asText()).isEqualTo("SELECT '" + marker + "_b'");
            assertThat(quiet.at("/attributes/queries")).isEmpty();
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> logContains(log(), "its last 2 statements")
                && logContains(log(), marker + "_b"))).as("dump_last_statements=on_close").isTrue();
        assertThat(Files.readString(log())).doesNotContain("SELECT 'quiet'");
        // session_trace: the session's own debug messages (not logged: log_debug is off) were kept, and the trace
        // is logged because one of them matches session_trace_match
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> logContains(log(), "its trace:")))
                .as("session_trace with session_trace_match").isTrue();
        String text = Files.readString(log());
        assertThat(text.substring(text.indexOf("its trace:"))).contains("debug (ClientSession) Session")
                .contains("closed: client quit");
    }
}
