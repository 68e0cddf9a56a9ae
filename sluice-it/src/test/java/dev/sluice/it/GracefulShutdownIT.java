package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A graceful stop lets the replies in flight finish: a client whose statement is running when Sluice is told
 * to stop still gets its result. Covers pipelined commands: MariaDB Connector/J sends COM_STMT_PREPARE and
 * COM_STMT_EXECUTE back to back, without waiting for the prepare reply.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class GracefulShutdownIT {
    static MariaDbTopology topology;

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"MARIADB_TEXT", "MARIADB_SERVER_PREPARED", "MYSQL_SERVER_PREPARED"})
    void aStatementRunningWhenSluiceStopsStillGetsItsResult(Client client) throws Exception {
        SluiceFixture sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "", false)
                + SluiceFixture.service("Stopping", "running", "db1", "Stopping-Listener", ""));
        try (Connection c = sluice.connect(client, "Stopping-Listener", "test", "")) {
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT SLEEP(?), 'finished'")) {
                    ps.setDouble(1, 1.5);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(2);
                    }
                } catch (SQLException e) {
                    return e;
                }
            });
            Thread.sleep(500);
            sluice.server.stop(Duration.ofSeconds(10));
            assertThat(running.get(15, TimeUnit.SECONDS)).isEqualTo("finished");
        } finally {
            sluice.close();
        }
    }

    @Test
    void anIdleSessionIsClosedAtOnce() throws Exception {
        SluiceFixture sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "", false)
                + SluiceFixture.service("Stopping", "running", "db1", "Stopping-Listener", ""));
        try (Connection c = sluice.connect(Client.MARIADB_TEXT, "Stopping-Listener", "test", "")) {
            long start = System.nanoTime();
            sluice.server.stop(Duration.ofSeconds(10));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(c.isValid(2)).isFalse();
        } finally {
            sluice.close();
        }
    }
}
