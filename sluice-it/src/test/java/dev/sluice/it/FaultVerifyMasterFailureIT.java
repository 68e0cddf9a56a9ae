package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.MariaDbNode;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code verify_master_failure} with {@code master_failure_timeout}: the monitor is cut off from a primary that
 * still runs (its account is locked there, so the monitor sees the primary as down) while the replicas still
 * receive its events. No failover while they do; once the primary stops writing, the failover comes after
 * {@code master_failure_timeout} without an event (the replicas' IO threads stay connected all along).
 */
class FaultVerifyMasterFailureIT extends FaultCluster {
    private static final long TIMEOUT_MILLIS = 3000;

    @BeforeAll
    static void start() throws Exception {
        start("vmf", "monitor_interval=300ms\nbackend_connect_timeout=1s\nbackend_read_timeout=1s\nfailcount=2\n"
                + "auto_failover=true\nverify_master_failure=true\nmaster_failure_timeout=" + TIMEOUT_MILLIS
                + "ms\nfailover_timeout=20s\n", "");
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(20), () -> sluice.server.server("db1").status()
                .isMaster() && sluice.server.server("db2").status().isSlave()
                && sluice.server.server("db3").status().isSlave())).isTrue();
    }

    @Test
    void noFailoverWhileReplicasHearThePrimaryThenFailoverAfterMasterFailureTimeout() throws Exception {
        MariaDbNode db1 = topology.primary();
        try (Connection c = db1.rootConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            s.execute("CREATE TABLE IF NOT EXISTS test.vmf (id INT AUTO_INCREMENT PRIMARY KEY, t TIMESTAMP(3))");
            // only on db1 (not replicated): the monitor can no longer log in there
            s.execute("SET SESSION sql_log_bin=0");
            s.execute("ALTER USER 'maxuser'@'%' ACCOUNT LOCK");
            s.execute("ALTER USER 'maxuser'@'localhost' ACCOUNT LOCK");
            s.execute("KILL CONNECTION USER 'maxuser'"); // its open connections end now
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> !sluice.server.server("db1").status()
                .isRunning())).as("the monitor sees db1 as down").isTrue();

        // db1 keeps writing: the replicas hear from it, so no failover however long the monitor misses it
        long lastWrite;
        try (Connection c = db1.rootConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            long end = System.nanoTime() + 2 * TIMEOUT_MILLIS * 1_000_000;
            do {
                s.executeUpdate("INSERT INTO test.vmf (t) VALUES (NOW(3))");
                lastWrite = System.nanoTime();
                assertThat(masterOtherThan("db1")).as("no failover while the replicas receive db1's events").isNull();
                Thread.sleep(200);
            } while (System.nanoTime() < end);
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(30), () -> masterOtherThan("db1") != null))
                .as("failover once the replicas heard nothing for master_failure_timeout").isTrue();
        long afterMillis = (System.nanoTime() - lastWrite) / 1_000_000;
        System.out.printf("FaultVerifyMasterFailureIT: promoted %s %d ms after db1's last event%n", masterOtherThan("db1"),
                afterMillis);
        assertThat(afterMillis).as("failover not before master_failure_timeout after the last event")
                .isGreaterThanOrEqualTo(TIMEOUT_MILLIS);
    }
}
