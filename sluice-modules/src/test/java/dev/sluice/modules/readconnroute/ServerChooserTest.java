package dev.sluice.modules.readconnroute;

import static dev.sluice.modules.FakeServer.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.server.Server;
import dev.sluice.api.server.StatusBit;
import dev.sluice.modules.FakeServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerChooserTest {

    static final Server PRIMARY = new FakeServer("primary", 0, status(-1, StatusBit.RUNNING, StatusBit.MASTER));
    static final Server REPLICA_A = new FakeServer("a", 0, status(0, StatusBit.RUNNING, StatusBit.SLAVE));
    static final Server REPLICA_B = new FakeServer("b", 0, status(0, StatusBit.RUNNING, StatusBit.SLAVE));
    static final Server DOWN = new FakeServer("down", 0, status(-1));

    static ServerChooser chooser(String options, boolean masterAcceptReads, Duration maxLag) {
        return new ServerChooser(new ReadConnRouteConfig(options.contains("master"), options.contains("slave"),
                options.contains("synced"), options.contains("running"), masterAcceptReads, maxLag));
    }

    static List<String> names(List<Server> servers) {
        return servers.stream().map(Server::name).toList();
    }

    @Test
    void masterOptionChoosesOnlyThePrimary() {
        List<Server> c = chooser("master", true, Duration.ZERO)
                .candidates(List.of(REPLICA_A, PRIMARY, REPLICA_B, DOWN), s -> 0);
        assertThat(names(c)).containsExactly("primary");
    }

    @Test
    void slaveOptionPrefersTheReplicaWithFewestConnections() {
        Map<String, Integer> load = new HashMap<>(Map.of("a", 3, "b", 1));
        List<Server> c = chooser("slave", true, Duration.ZERO)
                .candidates(List.of(PRIMARY, REPLICA_A, REPLICA_B), s -> load.getOrDefault(s.name(), 0));
        assertThat(names(c)).containsExactly("b", "a");
    }

    @Test
    void slaveOptionFallsBackToThePrimaryWhenNoReplicaIsUsable() {
        Server maintenance = new FakeServer("m", 0,
                status(0, StatusBit.RUNNING, StatusBit.SLAVE, StatusBit.MAINTENANCE));
        List<Server> c = chooser("slave", true, Duration.ZERO).candidates(List.of(PRIMARY, maintenance, DOWN), s -> 0);
        assertThat(names(c)).containsExactly("primary");
    }

    @Test
    void runningOptionTakesEveryRunningServerButTheExcludedPrimary() {
        assertThat(names(chooser("running", true, Duration.ZERO)
                .candidates(List.of(PRIMARY, REPLICA_A, DOWN), s -> 0))).containsExactly("primary", "a");
        assertThat(names(chooser("running", false, Duration.ZERO)
                .candidates(List.of(PRIMARY, REPLICA_A, DOWN), s -> 0))).containsExactly("a");
    }

    @Test
    void laggingReplicasAreSkipped() {
        Server lagging = new FakeServer("lagging", 0, status(30, StatusBit.RUNNING, StatusBit.SLAVE));
        assertThat(names(chooser("slave", true, Duration.ofSeconds(10))
                .candidates(List.of(lagging, REPLICA_A), s -> 0))).containsExactly("a");
        assertThat(names(chooser("slave", true, Duration.ZERO)
                .candidates(List.of(lagging, REPLICA_A), s -> 0))).containsExactly("lagging", "a");
    }

    @Test
    void bestRankWinsOverConnectionCount() {
        Server secondary = new FakeServer("secondary", 1, status(0, StatusBit.RUNNING, StatusBit.SLAVE));
        assertThat(names(chooser("slave", true, Duration.ZERO)
                .candidates(List.of(secondary, REPLICA_A), s -> s == REPLICA_A ? 100 : 0))).containsExactly("a");
    }

    @Test
    void drainingServersTakeNoNewConnectionsAndNothingEligibleMeansEmpty() {
        Server draining = new FakeServer("d", 0, status(-1, StatusBit.RUNNING, StatusBit.MASTER, StatusBit.DRAINING));
        assertThat(chooser("master", true, Duration.ZERO).candidates(List.of(draining, DOWN), s -> 0)).isEmpty();
    }
}
