package dev.sluice.modules.mariadbmon;

import dev.sluice.api.server.ServerStatus;
import dev.sluice.testkit.MariaDbNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Helpers shared by the monitor tests that run against real servers. */
final class MonitorTests {

    private MonitorTests() {
    }

    /** Waits until one of {@code indexes} has a published status meeting {@code condition}; returns it. */
    static int awaitAny(List<FakeMonitorContext.FakeServer> servers, List<Integer> indexes,
                        Predicate<ServerStatus> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i : indexes) {
                if (condition.test(servers.get(i).status())) {
                    return i;
                }
            }
            sleep(20);
        }
        StringBuilder states = new StringBuilder();
        for (int i : indexes) {
            states.append(servers.get(i).name()).append('=').append(servers.get(i).status().stateString())
                    .append(" (").append(servers.get(i).status().detail()).append(") ");
        }
        throw new AssertionError("none of " + states + "became " + what + " within " + timeout);
    }

    static void sql(MariaDbNode node, String statement) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** The Master_Port of a node's default replication connection, or -1 when it replicates from nobody. */
    static int sourcePort(MariaDbNode node) throws SQLException {
        try (Connection c = node.rootConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() ? rs.getInt("Master_Port") : -1;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
