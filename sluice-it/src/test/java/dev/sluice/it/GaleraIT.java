package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.FreePorts;
import dev.sluice.testkit.GaleraCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * galeramon in front of a real 3-node Galera cluster (galera-4, rsync SST), shared by every test of the class
 * and healed after each: roles and diagnostics, readconnroute {@code router_options=synced|master} and
 * readwritesplit over it, a desynced node, a node cut off into a non-primary component, a node killed and
 * rejoining by IST, master stickiness and the donor list. Each test starts its own Sluice (a second or so)
 * with the monitor options it needs; servers are {@code g1..g3}, in the cluster's node order.
 */
class GaleraIT {

    private static final Duration STATE_WAIT = Duration.ofSeconds(20);
    private static final int TABLE_SIZE = 1000;
    private static final int LOAD_SECONDS = 12;
    /**
     * sysbench ids 1..N: with AUTO_INCREMENT, Galera's auto_increment_increment spreads the prepared ids, and
     * the run's delete-then-insert of a random id in 1..N adds rows, so the table would not keep its size.
     */
    private static final String CONTIGUOUS_IDS = "--auto_inc=off";
    private static final AtomicInteger SLUICES = new AtomicInteger();

    static GaleraCluster cluster;
    private SluiceFixture sluice;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = GaleraCluster.builder().namePrefix("gal").start();
        try (Connection c = cluster.node(0).rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS test.rows (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL)");
        }
    }

    @AfterEach
    void heal() {
        if (sluice != null) {
            sluice.close();
            sluice = null;
        }
        cluster.heal();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** Servers g1..g3 (with the given priorities, when any), the monitor {@code Galera}, three services. */
    static String config(String monitorLines, String globalLines, long... priorities) {
        StringBuilder sb = new StringBuilder("[maxscale]\nthreads=2\nusers_refresh_time=0s\nskip_name_resolve=true\n"
                + globalLines + "datadir=" + cluster.directory().resolve("sluice-" + SLUICES.incrementAndGet())
                + "\n\n");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cluster.nodes().size(); i++) {
            String name = "g" + (i + 1);
            names.add(name);
            sb.append('[').append(name).append("]\ntype=server\naddress=127.0.0.1\nport=")
                    .append(cluster.node(i).port()).append('\n');
            if (priorities.length > i) {
                sb.append("priority=").append(priorities[i]).append('\n');
            }
            sb.append('\n');
        }
        String servers = String.join(",", names);
        sb.append("[Galera]\ntype=monitor\nmodule=galeramon\nservers=").append(servers)
                .append("\nuser=maxuser\npassword=maxpwd\nmonitor_interval=200ms\n").append(monitorLines).append("\n\n");
        sb.append(SluiceFixture.service("Synced", "synced", servers, "Synced-Listener", ""));
        sb.append(SluiceFixture.service("Master", "master", servers, "Master-Listener", ""));
        sb.append("[RW]\ntype=service\nrouter=readwritesplit\ncluster=Galera\nuser=maxuser\npassword=maxpwd\n"
                + "transaction_replay=true\ntransaction_replay_checksum=no_insert_id\ndelayed_retry_timeout=30s\n"
                + "master_reconnection=true\nmaster_failure_mode=fail_on_write\n\n"
                + "[RW-Listener]\ntype=listener\nservice=RW\nport=0\naddress=127.0.0.1\n");
        return sb.toString();
    }

    private SluiceFixture startSluice(String monitorLines, long... priorities) throws Exception {
        sluice = SluiceFixture.start(null, config(monitorLines, "", priorities));
        return sluice;
    }

    static String state(SluiceFixture s, String server) {
        return s.server.server(server).status().stateString();
    }

    static String states(SluiceFixture s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= cluster.nodes().size(); i++) {
            var st = s.server.server("g" + i).status();
            sb.append("g").append(i).append('=').append(st.stateString()).append(" (").append(st.detail())
                    .append(") ");
        }
        return sb.toString();
    }

    static void awaitState(SluiceFixture s, String server, String expected) throws Exception {
        assertThat(SluiceFixture.eventually(STATE_WAIT, () -> state(s, server).equals(expected)))
                .as("%s becomes '%s'; now: %s", server, expected, states(s)).isTrue();
    }

    /** The node whose {@code wsrep_local_index} is {@code index}, as its server name g1..g3. */
    static String nodeWithIndex(int index) throws SQLException {
        for (int i = 0; i < cluster.nodes().size(); i++) {
            if (String.valueOf(index).equals(GaleraCluster.status(cluster.node(i), "wsrep_local_index"))) {
                return "g" + (i + 1);
            }
        }
        throw new AssertionError("no node has wsrep_local_index " + index);
    }

    static MariaDbNode node(String server) {
        return cluster.node(Integer.parseInt(server.substring(1)) - 1);
    }

    static int port(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@port")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The backend ports {@code count} new connections to a readconnroute listener land on. */
    static Set<Integer> portsThrough(SluiceFixture s, String listener, int count) throws SQLException {
        Set<Integer> ports = new HashSet<>();
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                Connection c = s.app(listener);
                open.add(c);
                ports.add(port(c));
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
        return ports;
    }

    @Test
    void syncedNodesGetRolesAndReadconnrouteAndReadwritesplitUseThem() throws Exception {
        int adminPort = FreePorts.allocate();
        sluice = SluiceFixture.start(null, config("", "admin_port=" + adminPort + "\n"));
        String master = nodeWithIndex(0);
        for (int i = 1; i <= 3; i++) {
            String name = "g" + i;
            awaitState(sluice, name, name.equals(master) ? "Master, Synced, Running" : "Slave, Synced, Running");
        }
        Set<Integer> all = Set.of(cluster.node(0).port(), cluster.node(1).port(), cluster.node(2).port());
        assertThat(portsThrough(sluice, "Synced-Listener", 6)).as("router_options=synced spreads over every node")
                .isEqualTo(all);
        assertThat(portsThrough(sluice, "Master-Listener", 3)).containsExactly(node(master).port());

        // readwritesplit: writes (and transactions) on the Master only, autocommit reads on the other nodes;
        // each INSERT records the server that ran it (a Galera applier's Com_insert moves too: no use here)
        Set<Integer> readPorts = new HashSet<>();
        try (Connection c = sluice.app("RW-Listener"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE origin (id INT AUTO_INCREMENT PRIMARY KEY, server INT NOT NULL)");
            for (int i = 0; i < 10; i++) {
                s.executeUpdate("INSERT INTO origin (server) VALUES (@@server_id)");
                readPorts.add(port(c));
            }
            c.setAutoCommit(false);
            assertThat(port(c)).as("a transaction runs on the Master").isEqualTo(node(master).port());
            c.commit();
        }
        try (Connection c = node(master).rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT GROUP_CONCAT(DISTINCT server), COUNT(*) FROM test.origin")) {
            rs.next();
            assertThat(rs.getString(1)).as("the servers that ran the INSERTs").isEqualTo(master.substring(1));
            assertThat(rs.getInt(2)).isEqualTo(10);
        }
        assertThat(readPorts).as("autocommit reads go to the Slaves").doesNotContain(node(master).port())
                .isNotEmpty();

        // the REST API shows the monitor's view of the cluster
        String body = new AdminRest(adminPort).expect(200, "GET", "/v1/monitors/Galera", null);
        JsonNode diag = new ObjectMapper().readTree(body).at("/data/attributes/monitor_diagnostics");
        assertThat(diag.get("cluster_uuid").asText())
                .isEqualTo(GaleraCluster.status(cluster.node(0), "wsrep_cluster_state_uuid"));
        assertThat(diag.get("cluster_size").asInt()).isEqualTo(3);
        assertThat(diag.get("master").asText()).isEqualTo(master);
        assertThat(diag.get("server_info")).hasSize(3);
        assertThat(diag.at("/server_info/0/local_state_comment").asText()).isEqualTo("Synced");
    }

    @Test
    void aDesyncedNodeIsOnlyRunningAndNotUsedUntilItResyncs() throws Exception {
        startSluice("");
        String slave = nodeWithIndex(2);
        awaitState(sluice, slave, "Slave, Synced, Running");
        try (Connection c = node(slave).rootConnection(); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL wsrep_desync=ON");
        }
        awaitState(sluice, slave, "Running");
        assertThat(sluice.server.server(slave).status().detail()).contains("desync");
        assertThat(portsThrough(sluice, "Synced-Listener", 4)).doesNotContain(node(slave).port());
        try (Connection c = node(slave).rootConnection(); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL wsrep_desync=OFF");
        }
        awaitState(sluice, slave, "Slave, Synced, Running");
    }

    @Test
    void aNodeCutOffIntoANonPrimaryComponentIsNotSyncedAndComesBack() throws Exception {
        startSluice("");
        String slave = nodeWithIndex(2);
        String master = nodeWithIndex(0);
        awaitState(sluice, slave, "Slave, Synced, Running");
        GaleraCluster.isolate(node(slave), true);
        awaitState(sluice, slave, "Running");
        assertThat(sluice.server.server(slave).status().detail()).contains("primary component");
        assertThat(state(sluice, master)).isEqualTo("Master, Synced, Running");
        // the other two stay a primary component and take writes through readwritesplit
        try (Connection c = sluice.app("RW-Listener"); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO test.rows (v) VALUES (-1)");
        }
        GaleraCluster.isolate(node(slave), false);
        awaitState(sluice, slave, "Slave, Synced, Running");
    }

    @Test
    void aKilledMasterIsReplacedAndRejoinsByIstThenTakesTheMasterRoleBack() throws Exception {
        startSluice("use_priority=true\n", 1, 2, 3);
        awaitState(sluice, "g1", "Master, Synced, Running");
        awaitState(sluice, "g2", "Slave, Synced, Running");
        MariaDbNode g1 = cluster.node(0);
        g1.kill9();
        awaitState(sluice, "g1", "Down");
        awaitState(sluice, "g2", "Master, Synced, Running");
        int written = 0;
        try (Connection c = sluice.connect("RW-Listener", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD,
                "test", "socketTimeout=30000"); Statement s = c.createStatement()) {
            for (int i = 0; i < 20; i++) {
                s.executeUpdate("INSERT INTO test.rows (v) VALUES (1000)");
                written++;
            }
        }
        long logOffset = Files.size(g1.errorLog());
        cluster.start(g1);
        String log = Files.readString(g1.errorLog()).substring((int) logOffset);
        Matcher local = Pattern.compile("Local state: ([0-9a-f-]{36}):(-?\\d+)").matcher(log);
        assertThat(local.find()).as("the rejoin log names the node's own position:%n%s", log).isTrue();
        assertThat(local.group(1)).isEqualTo(GaleraCluster.status(cluster.node(1), "wsrep_cluster_state_uuid"));
        assertThat(Long.parseLong(local.group(2))).as("recovered seqno").isPositive();
        assertThat(log).as("the missed write sets came by IST").containsPattern("Receiving IST: \\d+ writesets");
        awaitState(sluice, "g1", "Master, Synced, Running");
        awaitState(sluice, "g2", "Slave, Synced, Running");
        try (Connection c = g1.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM test.rows WHERE v = 1000")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows written while g1 was down are on g1").isGreaterThanOrEqualTo(written);
        }
    }

    @Test
    void withDisableMasterFailbackTheReplacementMasterStaysWithMasterStickiness() throws Exception {
        startSluice("use_priority=true\ndisable_master_failback=true\n", 1, 2, 3);
        awaitState(sluice, "g1", "Master, Synced, Running");
        try (Connection c = cluster.node(0).rootConnection(); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL wsrep_desync=ON");
        }
        awaitState(sluice, "g2", "Master, Synced, Running");
        awaitState(sluice, "g1", "Running");
        try (Connection c = cluster.node(0).rootConnection(); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL wsrep_desync=OFF");
        }
        awaitState(sluice, "g1", "Slave, Synced, Running");
        awaitState(sluice, "g2", "Master, Synced, Master Stickiness, Running");
        assertThat(portsThrough(sluice, "Master-Listener", 2)).containsExactly(cluster.node(1).port());
    }

    @Test
    void setDonorNodesGivesEverySlaveTheSortedListOfSlaves() throws Exception {
        startSluice("set_donor_nodes=true\n");
        String master = nodeWithIndex(0);
        awaitState(sluice, master, "Master, Synced, Running");
        // by wsrep_local_index, highest first: the likeliest next Master last
        String expected = "gal" + nodeWithIndex(2).substring(1) + ",gal" + nodeWithIndex(1).substring(1);
        for (String slave : List.of(nodeWithIndex(1), nodeWithIndex(2))) {
            assertThat(SluiceFixture.eventually(STATE_WAIT, () -> expected.equals(sstDonor(node(slave)))))
                    .as("wsrep_sst_donor of %s is '%s' (now '%s')", slave, expected, sstDonor(node(slave))).isTrue();
        }
        assertThat(sstDonor(node(master))).as("the Master's list is left alone").isEmpty();
    }

    /**
     * Load through readwritesplit (transaction_replay) while nodes are killed. sysbench {@code oltp_read_write}
     * and four ledger writers run while a Slave node is killed: sysbench sees no error but InnoDB's own
     * deadlocks (1213, which it retries) and never reconnects. The Slave rejoins (IST) under the writers' load;
     * then, with the writers still running, the Master node is killed: every acknowledged commit is in the cluster exactly once and each writer saw at most one
     * error. sysbench is not run through the Master's death: version 1.0.20 crashes when it reconnects after
     * the error a client gets there (a transaction whose replay met other rows, 1927). After the Master rejoined
     * (IST) the sysbench tables have their size and are the same on every node.
     */
    @Test
    void killingNodesUnderLoadLosesAndDoublesNoCommit() throws Exception {
        startSluice("use_priority=true\n", 1, 2, 3);
        awaitState(sluice, "g1", "Master, Synced, Running");
        MariaDbNode g1 = cluster.node(0);
        MariaDbNode g3 = cluster.node(2);
        try (Connection c = g1.rootConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS test.sbtest1, test.sbtest2, test.ledger");
            s.execute(LedgerClients.TABLE);
        }
        SysbenchOutput.run(g1.port(), "prepare", 0, TABLE_SIZE, CONTIGUOUS_IDS);
        int port = sluice.port("RW-Listener");
        LedgerClients writers = new LedgerClients(4, () -> sluice.connect("RW-Listener", MariaDbTopology.APP_USER,
                MariaDbTopology.APP_PASSWORD, "test", "socketTimeout=60000&connectTimeout=60000"));
        writers.start();
        CompletableFuture<String> load = CompletableFuture.supplyAsync(() -> {
            try {
                return SysbenchOutput.run(port, "run", LOAD_SECONDS, TABLE_SIZE, CONTIGUOUS_IDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(LOAD_SECONDS * 1000L / 3);
        g3.kill9();
        awaitState(sluice, "g3", "Down");
        String output = load.get(LOAD_SECONDS + 120, TimeUnit.SECONDS);
        List<String> ignored = SysbenchOutput.ignoredErrorCodes(output);
        System.out.printf("GaleraIT: sysbench %d transactions with g3 killed, ignored errors %s%n",
                SysbenchOutput.counter(output, "transactions"), ignored);
        assertThat(ignored).as("errors sysbench ignored (only InnoDB deadlocks may be)").allMatch("1213"::equals);
        assertThat(SysbenchOutput.counter(output, "reconnects")).as(output).isZero();
        cluster.start(g3); // back by IST under the writers' load, so that two of three remain when g1 dies

        long killedAt = System.nanoTime();
        g1.kill9();
        awaitState(sluice, "g2", "Master, Synced, Running");
        System.out.printf("GaleraIT: g2 is the Master %.2f s after g1 was killed%n",
                (System.nanoTime() - killedAt) / 1e9);
        Map<Integer, Integer> before = writers.acknowledgedCounts();
        boolean resumed = SluiceFixture.eventually(Duration.ofSeconds(60), () -> writers.acknowledgedCounts()
                .entrySet().stream().allMatch(e -> e.getValue() >= before.get(e.getKey()) + 20));
        writers.stop();
        writers.ledgers().forEach((client, l) -> System.out.printf("GaleraIT: writer %d: %d commits, %d errors %s%n",
                client, l.acknowledged.size(), l.errors.size(), l.errors.subList(0, Math.min(3, l.errors.size()))));
        assertThat(resumed).as("every writer committed 20 more after the Master was killed").isTrue();
        try (Connection c = cluster.node(1).rootConnection()) {
            writers.assertExactlyOnce(c, 1);
        }

        cluster.start(g1);
        for (String table : List.of("sbtest1", "sbtest2")) {
            try (Connection c = cluster.node(1).rootConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM test." + table)) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows of %s", table).isEqualTo(TABLE_SIZE);
            }
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(30), () -> checksums(table).size() == 1))
                    .as("CHECKSUM TABLE %s is the same on every node: %s", table, checksums(table)).isTrue();
        }
    }

    private static Set<Long> checksums(String table) throws SQLException {
        Set<Long> sums = new HashSet<>();
        for (MariaDbNode n : cluster.nodes()) {
            try (Connection c = n.rootConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("CHECKSUM TABLE test." + table)) {
                rs.next();
                sums.add(rs.getLong(2));
            }
        }
        return sums;
    }

    private static String sstDonor(MariaDbNode node) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@wsrep_sst_donor")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
