package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test 3 of issue 6 and the failover/switchover timings: {@code kill -9} of the primary with
 * {@code monitor_interval=1s}, {@code failcount=2}, {@code auto_failover} and {@code auto_rejoin}; the time until a
 * write through Sluice (readconnroute {@code router_options=master}) succeeds on the new primary; the old primary,
 * restarted, is rejoined as a replica of the new one with no errant GTIDs; then a switchover back to it, timed
 * the same way. Several rounds; the medians are printed and written to {@code target/fault-timings.txt}.
 */
class FaultFailoverIT extends FaultCluster {

    static final int ROUNDS = 5;

    @BeforeAll
    static void start() throws Exception {
        start("ff", "monitor_interval=1s\nbackend_connect_timeout=1s\nbackend_read_timeout=1s\nfailcount=2\n"
                + "auto_failover=true\nauto_rejoin=true\nswitchover_timeout=20s\nfailover_timeout=20s\n",
                SluiceFixture.service("RW", "master", "db1,db2,db3", "RW-Listener", ""));
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS ff");
            s.execute("CREATE TABLE IF NOT EXISTS ff.t (id INT PRIMARY KEY)");
            s.execute("GRANT ALL ON ff.* TO '" + MariaDbTopology.APP_USER + "'@'%'");
        }
        topology.waitForReplication(Duration.ofSeconds(20));
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20),
                () -> sluice.server.server("db1").status().isMaster())).isTrue();
    }

    static int nextId = 1;

    /** One INSERT through Sluice on a fresh connection with short timeouts; true when it was acknowledged. */
    static boolean writeThroughSluice() {
        Properties p = new Properties();
        p.setProperty("user", MariaDbTopology.APP_USER);
        p.setProperty("password", MariaDbTopology.APP_PASSWORD);
        p.setProperty("connectTimeout", "1000");
        p.setProperty("socketTimeout", "2000");
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + sluice.port("RW-Listener")
                + "/ff", p); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO ff.t VALUES (" + nextId + ")");
            nextId++;
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Milliseconds from {@code since} until a write through Sluice succeeds. */
    static long untilWritable(long since, Duration timeout) throws Exception {
        assertThat(SluiceFixture.eventually(timeout, FaultFailoverIT::writeThroughSluice))
                .as("writable through Sluice within %s: %s", timeout, monitor().diagnostics()).isTrue();
        return (System.nanoTime() - since) / 1_000_000;
    }

    static String masterName() {
        for (String name : List.of("db1", "db2", "db3")) {
            if (sluice.server.server(name).status().isMaster()) {
                return name;
            }
        }
        return null;
    }

    static MariaDbNode node(String dbName) {
        return topology.nodes().get(Integer.parseInt(dbName.substring(2)) - 1);
    }

    static String query(MariaDbNode node, String sql) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** domain -> sequence of a GTID list. */
    static Map<Long, Long> gtids(String list) {
        Map<Long, Long> out = new java.util.HashMap<>();
        for (String g : list.split(",")) {
            String[] parts = g.trim().split("-");
            if (parts.length == 3) {
                out.put(Long.parseLong(parts[0]), Long.parseLong(parts[2]));
            }
        }
        return out;
    }

    @Test
    void killedPrimaryIsReplacedRejoinedWithoutErrantGtidsAndSwitchedBack() throws Exception {
        List<Long> failovers = new ArrayList<>();
        List<Long> switchovers = new ArrayList<>();
        assertThat(writeThroughSluice()).isTrue();
        for (int round = 0; round < ROUNDS; round++) {
            String oldName = masterName();
            assertThat(oldName).isNotNull();
            MariaDbNode old = node(oldName);
            awaitReplicasCaughtUp(old);

            long killed = System.nanoTime();
            old.kill9();
            failovers.add(untilWritable(killed, Duration.ofSeconds(30)));
            String newName = masterName();
            assertThat(newName).isNotNull().isNotEqualTo(oldName);
            MariaDbNode promoted = node(newName);

            // fault test 3: the old primary comes back and auto_rejoin makes it a replica of the new one
            old.start();
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(30),
                    () -> sluice.server.server(oldName).status().isSlave()))
                    .as("%s rejoined: %s", oldName, monitor().diagnostics()).isTrue();
            try (Connection c = old.rootConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("Master_Port")).isEqualTo(promoted.port());
            }
            assertThat(query(old, "SELECT @@read_only")).isEqualTo("1");
            assertThat(writeThroughSluice()).isTrue();
            String primaryPos = query(promoted, "SELECT @@gtid_binlog_pos");
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(20),
                    () -> gtids(query(old, "SELECT @@gtid_current_pos")).equals(gtids(primaryPos))))
                    .as("the rejoined server caught up").isTrue();
            Map<Long, Long> oldPos = gtids(query(old, "SELECT @@gtid_binlog_pos"));
            Map<Long, Long> newPos = gtids(query(promoted, "SELECT @@gtid_binlog_pos"));
            oldPos.forEach((domain, seq) -> assertThat(seq).as("errant GTIDs in domain %s on %s", domain, oldName)
                    .isLessThanOrEqualTo(newPos.getOrDefault(domain, 0L)));
            assertThat(query(old, "SELECT COUNT(*) FROM ff.t")).isEqualTo(query(promoted, "SELECT COUNT(*) FROM ff.t"));

            // and back: a switchover to the old primary, timed until a write through Sluice succeeds
            long started = System.nanoTime();
            CommandResult r = monitor().command("switchover", List.of(oldName, newName));
            assertThat(r.ok()).as(r.message()).isTrue();
            switchovers.add(untilWritable(started, Duration.ofSeconds(30)));
            assertThat(masterName()).isEqualTo(oldName);
        }
        String report = "failover (kill -9, monitor_interval=1s, failcount=2) ms: " + failovers + " median "
                + median(failovers) + "\nswitchover ms: " + switchovers + " median " + median(switchovers) + "\n";
        System.out.println(report);
        Files.writeString(Path.of("target", "fault-timings.txt"), report);
        for (long ms : failovers) {
            assertThat(ms).as("failover time").isLessThan(15_000);
        }
        for (long ms : switchovers) {
            assertThat(ms).as("switchover time").isLessThan(10_000);
        }
    }

    /** Waits until every other node's gtid_current_pos has {@code primary}'s gtid_binlog_pos. */
    static void awaitReplicasCaughtUp(MariaDbNode primary) throws Exception {
        Map<Long, Long> target = gtids(query(primary, "SELECT @@gtid_binlog_pos"));
        for (MariaDbNode n : topology.nodes()) {
            if (n == primary) {
                continue;
            }
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> {
                Map<Long, Long> have = gtids(query(n, "SELECT @@gtid_current_pos"));
                return target.entrySet().stream().allMatch(e -> have.getOrDefault(e.getKey(), -1L) >= e.getValue());
            })).as("%s caught up with %s", n.name(), primary.name()).isTrue();
        }
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
