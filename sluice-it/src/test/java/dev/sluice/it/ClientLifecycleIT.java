package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.protocol.Command;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions that end badly or come in crowds: a client that disconnects in the middle of a large result,
 * and 500 clients at once. Afterwards the backends hold no connection of theirs (the primary's processlist
 * is back to its baseline) and Sluice has no session left.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ClientLifecycleIT {
    static final String LISTENER = "Lifecycle-Listener";
    static final int CLIENTS = 500;
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    static MariaDbNode primary;

    @BeforeAll
    static void start() throws Exception {
        primary = topology.primary();
        sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "", false)
                + SluiceFixture.service("Lifecycle", "running", "db1", LISTENER, "")
                + SluiceFixture.service("Idle", "running", "db1", "Idle-Listener", "").replace(
                        "password=maxpwd\n", "password=maxpwd\nwait_timeout=1s\n"));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private static void assertBackToBaseline(int baseline) throws Exception {
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(15),
                () -> SluiceFixture.processCount(primary, "app") == baseline
                        && sluice.server.sessions().size() == 0))
                .as("app connections on the primary %d (baseline %d), Sluice sessions %d",
                        SluiceFixture.processCount(primary, "app"), baseline, sluice.server.sessions().size())
                .isTrue();
    }

    @Test
    void aClientThatDisconnectsMidResultLeavesOthersAloneAndLeaksNoBackend() throws Exception {
        int baseline = SluiceFixture.processCount(primary, "app");
        try (Connection bystander = sluice.connect(LISTENER, "app", "apppwd", "test", "")) {
            for (int round = 0; round < 3; round++) {
                try (RawClient c = RawClient.loggedIn(sluice.port(LISTENER), RawClient.CAPABILITIES)) {
                    // about 200 MB of rows: far more than the socket buffers hold
                    byte[] columns = c.command(Command.COM_QUERY,
                            "SELECT seq, REPEAT('x', 200) FROM seq_1_to_1000000");
                    assertThat(columns).containsExactly(2);
                    for (int i = 0; i < 1000; i++) {
                        c.readPacket();
                    }
                    c.socket.setSoLinger(true, 0); // a reset, not a polite close
                }
                assertThat(CommandsIT.scalar(bystander, "SELECT COUNT(*) FROM seq_1_to_1000")).isEqualTo("1000");
            }
        }
        assertBackToBaseline(baseline);
    }

    @Test
    void fiveHundredConcurrentClientsAreAllServed() throws Exception {
        int baseline = SluiceFixture.processCount(primary, "app");
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch allConnected = new CountDownLatch(CLIENTS);
        CountDownLatch release = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    try (Connection c = sluice.connect(LISTENER, "app", "apppwd", "test", "connectTimeout=60000")) {
                        allConnected.countDown();
                        release.await(90, TimeUnit.SECONDS);
                        try (Statement st = c.createStatement();
                             ResultSet rs = st.executeQuery("SELECT " + n + " * 2, CONNECTION_ID()")) {
                            rs.next();
                            return rs.getInt(1) + "/" + rs.getLong(2);
                        }
                    } catch (SQLException e) {
                        allConnected.countDown();
                        return "error " + e.getErrorCode() + ": " + e.getMessage();
                    }
                }));
            }
            assertThat(allConnected.await(120, TimeUnit.SECONDS)).as("all clients connected in time").isTrue();
            assertThat(sluice.server.sessions().size()).isEqualTo(CLIENTS);
            assertThat(SluiceFixture.processCount(primary, "app") - baseline).isEqualTo(CLIENTS);
            release.countDown();
            java.util.Set<String> backendThreads = new java.util.HashSet<>();
            for (int i = 0; i < CLIENTS; i++) {
                String r = results.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r).startsWith((i * 2) + "/");
                backendThreads.add(r.substring(r.indexOf('/') + 1));
            }
            assertThat(backendThreads).as("each client had its own backend connection").hasSize(CLIENTS);
        } finally {
            release.countDown();
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        assertBackToBaseline(baseline);
    }

    @Test
    void aClientThatReadsSlowlyHoldsBackTheBackendInsteadOfFillingSluicesMemory() throws Exception {
        int baseline = SluiceFixture.processCount(primary, "app");
        long before = usedMemory();
        try (RawClient c = RawClient.loggedIn(sluice.port(LISTENER), RawClient.CAPABILITIES)) {
            // about 100 MB of rows, read at a crawl (few packets: paranoid leak tracking is slow per buffer)
            byte[] columns = c.command(Command.COM_QUERY, "SELECT seq, REPEAT('y', 1000) FROM seq_1_to_100000");
            assertThat(columns).containsExactly(2);
            c.readPacket();
            Thread.sleep(2000); // the backend keeps sending; Sluice must stop reading from it
            long held = usedMemory() - before;
            assertThat(held).as("bytes Sluice holds for a client that does not read").isLessThan(48L << 20);
            // and the result is intact when the client reads on
            int rows = c.readRows(new byte[] {1}).size(); // one column definition is still unread
            assertThat(rows).isEqualTo(100_000);
        }
        assertBackToBaseline(baseline);
    }

    @Test
    void aClientIdleLongerThanWaitTimeoutIsDisconnectedWithTheServersError() throws Exception {
        int baseline = SluiceFixture.processCount(primary, "app");
        try (RawClient c = RawClient.loggedIn(sluice.port("Idle-Listener"), RawClient.CAPABILITIES)) {
            long start = System.nanoTime();
            dev.sluice.protocol.message.server.ErrPacket err = RawClient.errIn(c.readUntilClosed());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500),
                    Duration.ofSeconds(10));
            assertThat(err).isNotNull();
            assertThat(err.errorCode()).isEqualTo(4031);
        }
        // a statement that runs longer than wait_timeout is not cut off
        try (RawClient c = RawClient.loggedIn(sluice.port("Idle-Listener"), RawClient.CAPABILITIES)) {
            byte[] columns = c.command(Command.COM_QUERY, "SELECT SLEEP(2)");
            assertThat(c.readRows(columns)).singleElement().satisfies(row -> assertThat(row).containsExactly(1, '0'));
        }
        assertBackToBaseline(baseline);
    }

    private static long usedMemory() {
        System.gc();
        long direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct"))
                .mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed).sum();
        return direct + Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }
}