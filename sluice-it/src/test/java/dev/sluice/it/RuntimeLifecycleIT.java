package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.core.ServiceRuntime;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runtime around sessions: pooling, keepalive, idle timeout, graceful stop, reference-counted release. */
@MariaDbCluster(replicas = 2)
class RuntimeLifecycleIT {
    static MariaDbTopology topology;
    SluiceFixture sluice;

    @AfterEach
    void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private SluiceFixture start(String serverLines, String serviceLines) throws Exception {
        String cnf = SluiceFixture.baseConfig(topology, serverLines, true)
                + "[RW]\ntype=service\nrouter=readconnroute\nrouter_options=master\ncluster=Cluster\n"
                + "user=maxuser\npassword=maxpwd\n" + serviceLines + "\n"
                + "[RW-Listener]\ntype=listener\nservice=RW\nport=0\naddress=127.0.0.1\n";
        sluice = SluiceFixture.start(topology, cnf);
        return sluice;
    }

    /** Backend connections of the app user on the primary, as the server counts them. */
    private static int appConnectionsOnPrimary() throws SQLException {
        try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER='app'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long backendThreadOf(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void routerOptionsMasterFollowsTheMonitorToThePrimary() throws Exception {
        start("", "");
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@port, @@read_only")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(topology.primary().port());
            assertThat(rs.getInt(2)).isZero();
        }
    }

    @Test
    void pooledBackendConnectionIsReusedAndResetForTheNextSession() throws Exception {
        start("persistpoolmax=10\npersistmaxtime=60s\n", "");
        long first;
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            first = backendThreadOf(c);
            st.execute("SET @leftover = 42");
        }
        // the session is gone; its backend connection waits in the pool of its worker. With 2 workers a new
        // session lands on either, so try a few until one reuses it.
        boolean reused = false;
        for (int i = 0; i < 6 && !reused; i++) {
            try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
                if (backendThreadOf(c) == first) {
                    reused = true;
                    try (ResultSet rs = st.executeQuery("SELECT @leftover, CURRENT_USER(), DATABASE()")) {
                        rs.next();
                        assertThat(rs.getObject(1)).as("session state is reset on reuse").isNull();
                        assertThat(rs.getString(2)).startsWith("app@");
                        assertThat(rs.getString(3)).isEqualTo("test");
                    }
                }
            }
        }
        assertThat(reused).as("a pooled connection was reused").isTrue();
        assertThat(sluice.server.server("db1").pooledReuses.sum()).isPositive();
    }

    @Test
    void withoutPoolBackendConnectionsCloseWithTheirSession() throws Exception {
        start("", "");
        int before = appConnectionsOnPrimary();
        List<Connection> open = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            open.add(sluice.app("RW-Listener"));
        }
        assertThat(appConnectionsOnPrimary()).isEqualTo(before + 5);
        for (Connection c : open) {
            c.close();
        }
        awaitAppConnections(before);
    }

    private static void awaitAppConnections(int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (appConnectionsOnPrimary() != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(appConnectionsOnPrimary()).isEqualTo(expected);
    }

    @Test
    void connectionKeepalivePingsIdleBackends() throws Exception {
        start("", "connection_keepalive=1s\n");
        try (Connection c = sluice.app("RW-Listener")) {
            long thread = backendThreadOf(c);
            Thread.sleep(3500);
            try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement();
                 ResultSet rs = st.executeQuery("SELECT TIME FROM information_schema.PROCESSLIST WHERE ID=" + thread)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("seconds since the backend last heard a command").isLessThan(2);
            }
            assertThat(c.isValid(2)).isTrue();
        }
    }

    @Test
    void waitTimeoutDisconnectsIdleClients() throws Exception {
        start("", "wait_timeout=1s\n");
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            Thread.sleep(2500);
            assertThatThrownBy(() -> st.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void gracefulStopLetsTheReplyInFlightFinishAndReleasesTheServiceOnce() throws Exception {
        start("", "");
        ServiceRuntime service = sluice.server.service("RW");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection busy = sluice.app("RW-Listener"); Connection idle = sluice.app("RW-Listener")) {
            Future<Integer> slow = pool.submit(() -> {
                try (Statement st = busy.createStatement(); ResultSet rs = st.executeQuery("SELECT SLEEP(1.5), 7")) {
                    rs.next();
                    return rs.getInt(2);
                }
            });
            Thread.sleep(300); // the slow query is in flight
            Future<?> stopping = pool.submit(() -> sluice.server.stop(Duration.ofSeconds(10)));
            assertThat(slow.get(10, TimeUnit.SECONDS)).as("the reply in flight was delivered").isEqualTo(7);
            stopping.get(15, TimeUnit.SECONDS);
            assertThatThrownBy(() -> idle.createStatement().executeQuery("SELECT 1"))
                    .isInstanceOf(SQLException.class);
            assertThat(sluice.server.releasedServices).hasValue(1);
            assertThat(service.refCount()).isZero();
        } finally {
            pool.shutdownNow();
        }
        assertThatThrownBy(() -> sluice.app("RW-Listener")).isInstanceOf(Exception.class);
    }

    @Test
    void aSlowClientReadingAHugeResultDoesNotStallOtherSessions() throws Exception {
        start("", "");
        try (Connection slow = sluice.app("RW-Listener"); Connection other = sluice.app("RW-Listener")) {
            Statement st = slow.createStatement();
            st.setFetchSize(10); // stream: the driver reads from the socket only as rows are consumed
            ResultSet big = st.executeQuery("SELECT seq, REPEAT('x', 200) FROM seq_1_to_300000");
            assertThat(big.next()).isTrue();
            // the slow client now leaves ~60 MB unread; Sluice must stop reading from its backend
            // (back-pressure) and keep serving the other session on the same workers
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                try (Statement o = other.createStatement(); ResultSet rs = o.executeQuery("SELECT " + i)) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(i);
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
            long count = 1;
            long sum = big.getLong(1);
            while (big.next()) {
                count++;
                sum += big.getLong(1);
            }
            assertThat(count).isEqualTo(300_000);
            assertThat(sum).isEqualTo(300_000L * 300_001L / 2);
            big.close();
            st.close();
        }
    }
}
