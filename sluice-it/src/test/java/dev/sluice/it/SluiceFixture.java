package dev.sluice.it;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Starts a real Sluice in the test JVM in front of a real topology, from a configuration text in MaxScale
 * syntax: the same path {@code bin/sluice --config} takes. Listeners use port 0 (a free port).
 */
final class SluiceFixture implements AutoCloseable {
    final SluiceServer server;
    final MariaDbTopology topology;

    private SluiceFixture(SluiceServer server, MariaDbTopology topology) {
        this.server = server;
        this.topology = topology;
    }

    /** Servers db1..dbN for the topology's nodes, the mariadbmon monitor, and whatever {@code sections} add. */
    static String baseConfig(MariaDbTopology topology, String extraServerLines, boolean monitor) {
        StringBuilder sb = new StringBuilder("[maxscale]\nthreads=2\nusers_refresh_time=0s\nskip_name_resolve=true\n"
                + "datadir=" + topology.directory().resolve("sluice-data") + "\n\n");
        StringBuilder names = new StringBuilder();
        int i = 1;
        for (MariaDbNode n : topology.nodes()) {
            String name = "db" + i++;
            names.append(names.length() == 0 ? "" : ",").append(name);
            sb.append('[').append(name).append("]\ntype=server\naddress=127.0.0.1\nport=").append(n.port())
                    .append('\n').append(extraServerLines).append('\n');
        }
        if (!monitor) {
            return sb.toString();
        }
        sb.append("[Cluster]\ntype=monitor\nmodule=mariadbmon\nservers=").append(names)
                .append("\nuser=maxuser\npassword=maxpwd\nmonitor_interval=200ms\n\n");
        return sb.toString();
    }

    /** A readconnroute service and its TCP listener on 127.0.0.1, port 0. */
    static String service(String name, String routerOptions, String servers, String listener, String listenerLines) {
        return "[" + name + "]\ntype=service\nrouter=readconnroute\nrouter_options=" + routerOptions
                + "\nservers=" + servers + "\nuser=maxuser\npassword=maxpwd\n\n"
                + "[" + listener + "]\ntype=listener\nservice=" + name + "\nport=0\naddress=127.0.0.1\n"
                + listenerLines + "\n";
    }

    /**
     * The base configuration plus a readwritesplit service {@code RW} over the monitor's cluster with
     * {@code serviceLines} added, and its listener {@code RW-Listener} on a free port.
     */
    static String readWriteSplit(MariaDbTopology topology, String serviceLines) {
        return baseConfig(topology, "", true)
                + "[RW]\ntype=service\nrouter=readwritesplit\ncluster=Cluster\nuser=maxuser\npassword=maxpwd\n"
                + serviceLines + "\n[RW-Listener]\ntype=listener\nservice=RW\nport=0\naddress=127.0.0.1\n";
    }

    /**
     * As {@link #readWriteSplit}, with a hintfilter in front of the router, so that hint comments in client SQL
     * count (without one they are ignored, as in MaxScale).
     */
    static String readWriteSplitWithHints(MariaDbTopology topology, String serviceLines) {
        return readWriteSplit(topology, "filters=Hints\n" + serviceLines) + "\n[Hints]\ntype=filter\nmodule=hintfilter\n";
    }

    /** The port of the server that ran this statement's {@code SELECT @@port}: which backend a read went to. */
    static int serverPort(java.sql.Statement st) throws SQLException {
        try (java.sql.ResultSet rs = st.executeQuery("SELECT @@port")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static String serverNames(MariaDbTopology topology) {
        StringBuilder names = new StringBuilder();
        for (int i = 1; i <= topology.nodes().size(); i++) {
            names.append(i == 1 ? "" : ",").append("db").append(i);
        }
        return names.toString();
    }

    static SluiceFixture start(MariaDbTopology topology, String configText) throws Exception {
        return start(topology, configText, ModuleRegistry.load());
    }

    /** With other modules than ServiceLoader finds (a test's own filter, say). */
    static SluiceFixture start(MariaDbTopology topology, String configText, ModuleRegistry modules) throws Exception {
        return start(topology, configText, modules, java.util.Set.of());
    }

    /**
     * As {@link #start(MariaDbTopology, String)}, without waiting for the user accounts of the services named in
     * {@code unloadable}: services whose user cannot read them, for tests of how their clients are refused.
     */
    static SluiceFixture startWithUnloadableAccounts(MariaDbTopology topology, String configText,
                                                     java.util.Set<String> unloadable) throws Exception {
        return start(topology, configText, ModuleRegistry.load(), unloadable);
    }

    static SluiceFixture start(MariaDbTopology topology, String configText, ModuleRegistry modules,
                                       java.util.Set<String> unloadable) throws Exception {
        if (!configText.contains("admin_enabled=") && !configText.contains("admin_port=")) {
            // ITs share one JVM: the admin API's default port 8989 would clash; a test that wants the API sets
            // admin_port (a free port) itself
            configText = configText.replaceFirst("\\[maxscale\\]\n", "[maxscale]\nadmin_enabled=false\n");
        }
        SluiceConfig config = ConfigLoader.parse(configText, "test.cnf", modules);
        SluiceServer server = SluiceServer.start(config);
        boolean ready = unloadable.isEmpty() ? server.awaitReady(Duration.ofSeconds(30))
                : eventually(Duration.ofSeconds(30), () -> server.monitors().values().stream()
                        .allMatch(m -> m.monitor().hasTicked())
                        && server.services().entrySet().stream().allMatch(e -> unloadable.contains(e.getKey())
                        || e.getValue().accounts().current().isLoaded()));
        if (!ready) {
            server.close();
            throw new IllegalStateException("Sluice did not become ready");
        }
        return new SluiceFixture(server, topology);
    }

    int port(String listener) {
        return server.listener(listener).boundPort();
    }

    String url(String listener, String database, String options) {
        return bounded("jdbc:mariadb://127.0.0.1:" + port(listener) + "/" + (database == null ? "" : database)
                + (options == null || options.isEmpty() ? "" : "?" + options));
    }

    /** How long a test's JDBC request may wait for its reply before it fails (a hang fails the test that sent it). */
    static final int SOCKET_TIMEOUT_MILLIS = 60_000;

    /**
     * {@code url} with a {@code socketTimeout}, unless it sets its own: every read of a reply is bounded, so a
     * request the proxy never answers fails the statement that sent it, with the statement in the stack trace,
     * instead of waiting for the test's own time limit. JDBC URLs the ITs open to Sluice go through here
     * ({@link Client#url} too) or set a {@code socketTimeout} of their own.
     */
    static String bounded(String url) {
        if (url.contains("socketTimeout=")) {
            return url;
        }
        return url + (url.indexOf('?') < 0 ? '?' : '&') + "socketTimeout=" + SOCKET_TIMEOUT_MILLIS;
    }

    Connection connect(String listener, String user, String password, String database, String options)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(url(listener, database, options), p);
    }

    Connection app(String listener) throws SQLException {
        return connect(listener, MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD, "test", "");
    }

    Connection connect(Client client, String listener, String database, String options) throws SQLException {
        return client.connect(port(listener), MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD, database,
                options);
    }

    /** Whether {@code replica} replicates from {@code source} with both threads running (read directly). */
    static boolean replicatesFrom(MariaDbNode replica, MariaDbNode source) throws SQLException {
        try (Connection c = replica.rootConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() && rs.getInt("Master_Port") == source.port()
                    && "Yes".equals(rs.getString("Slave_IO_Running")) && "Yes".equals(rs.getString("Slave_SQL_Running"));
        }
    }

    /** The value of a global status counter of a node, read directly (not through Sluice). */
    static long globalStatus(MariaDbNode node, String variable) throws SQLException {
        try (Connection c = node.rootConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            if (!rs.next()) {
                throw new IllegalArgumentException("status variable: " + variable + " (expected: one that exists)");
            }
            return rs.getLong(2);
        }
    }

    /** How many client connections of {@code user} a node has right now, read directly. */
    static int processCount(MariaDbNode node, String user) throws SQLException {
        try (Connection c = node.rootConnection();
             java.sql.PreparedStatement ps = c.prepareStatement(
                     "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ?")) {
            ps.setString(1, user);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Waits until {@code condition} holds, checking every 50 ms; false on timeout. */
    static boolean eventually(Duration timeout, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.call()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
    }

    /** A self-signed certificate and its key made with the openssl CLI: {@code [cert.pem, key.pem]} in {@code dir}. */
    static java.nio.file.Path[] selfSignedCertificate(java.nio.file.Path dir, String commonName) throws Exception {
        java.nio.file.Path cert = dir.resolve("cert.pem");
        java.nio.file.Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + commonName)
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!openssl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl failed; see " + dir.resolve("openssl.log"));
        }
        return new java.nio.file.Path[] {cert, key};
    }
}
