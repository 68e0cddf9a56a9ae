package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.MariaDbNode;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test 5 of issue 6: a replica whose replication breaks — {@code STOP SLAVE}, a wrong (unmonitored)
 * source, lag above {@code max_replication_lag} through {@code MASTER_DELAY} — stops receiving reads through
 * readconnroute ({@code router_options=slave}) within about one monitor interval, and receives them again once it
 * recovers. Which server a read went to is its {@code @@port}.
 */
class FaultReplicaBrokenIT extends FaultCluster {

    static final Duration INTERVAL = Duration.ofMillis(500);
    static MariaDbNode broken;
    static MariaDbNode healthy;

    @BeforeAll
    static void start() throws Exception {
        start("rb", "monitor_interval=" + INTERVAL.toMillis() + "ms\nbackend_connect_timeout=1s\n"
                + "backend_read_timeout=1s\n", SluiceFixture.service("RO", "slave", "db2,db3", "RO-Listener", "")
                .replace("router_options=slave\n", "router_options=slave\nmaster_accept_reads=false\n"
                        + "max_replication_lag=5s\n"));
        broken = topology.replicas().get(0);
        healthy = topology.replicas().get(1);
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS rb");
            s.execute("CREATE TABLE IF NOT EXISTS rb.t (id INT AUTO_INCREMENT PRIMARY KEY)");
        }
        topology.waitForReplication(Duration.ofSeconds(20));
    }

    @AfterEach
    void heal() {
        topology.heal();
    }

    /** The ports the reads of several simultaneous connections through readconnroute went to. */
    static Set<Integer> readPorts() throws SQLException {
        Set<Integer> ports = new TreeSet<>();
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Connection c = sluice.app("RO-Listener");
                open.add(c);
                try (Statement s = c.createStatement()) {
                    ports.add(SluiceFixture.serverPort(s));
                }
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
        return ports;
    }

    static void sql(MariaDbNode node, String... statements) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Breaks {@code broken}, checks it leaves the read set fast enough, repairs it, checks it comes back. */
    void breakAndRepair(String[] breakIt, String[] repairIt, Duration allowed) throws Exception {
        Set<Integer> both = Set.of(broken.port(), healthy.port());
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> readPorts().equals(both))).isTrue();
        long t0 = System.nanoTime();
        sql(broken, breakIt);
        assertThat(SluiceFixture.eventually(allowed.plusSeconds(5), () -> readPorts().equals(Set.of(healthy.port()))))
                .as("%s no longer read from: %s", broken.name(), sluice.server.server("db2").status()).isTrue();
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(tookMs).as("left the read set within %s", allowed).isLessThan(allowed.toMillis());
        // a few more rounds: it stays out while broken
        for (int i = 0; i < 3; i++) {
            assertThat(readPorts()).containsExactly(healthy.port());
        }
        sql(broken, repairIt);
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> readPorts().equals(both)))
                .as("%s read from again", broken.name()).isTrue();
    }

    @Test
    void aStoppedReplicaIsLeftOutWithinAnIntervalAndTakenBackWhenItReplicatesAgain() throws Exception {
        // one interval + one tick's work + the time of a readPorts round on a loaded machine
        breakAndRepair(new String[] {"STOP SLAVE"}, new String[] {"START SLAVE"}, INTERVAL.multipliedBy(2)
                .plusMillis(1500));
    }

    @Test
    void aReplicaOfAWrongSourceIsLeftOut() throws Exception {
        int nowhere;
        try (ServerSocket s = new ServerSocket(0)) {
            nowhere = s.getLocalPort();
        }
        breakAndRepair(new String[] {"STOP SLAVE", "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + nowhere,
                "START SLAVE"},
                new String[] {"STOP SLAVE", "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT="
                        + topology.primary().port(), "START SLAVE"},
                INTERVAL.multipliedBy(2).plusMillis(1500));
    }

    @Test
    void aReplicaLaggingAboveMaxReplicationLagIsLeftOutUntilItCatchesUp() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
                while (writing.get()) {
                    s.execute("INSERT INTO rb.t VALUES ()");
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                // the test's assertions tell
            }
        });
        writer.start();
        try {
            // MASTER_DELAY=30: once events wait, Seconds_Behind_Master climbs past max_replication_lag=5s
            breakAndRepair(new String[] {"STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY=30", "START SLAVE"},
                    new String[] {"STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY=0", "START SLAVE"},
                    Duration.ofSeconds(5).plus(INTERVAL.multipliedBy(2)).plusMillis(2500));
        } finally {
            writing.set(false);
            writer.join(5000);
        }
    }
}
