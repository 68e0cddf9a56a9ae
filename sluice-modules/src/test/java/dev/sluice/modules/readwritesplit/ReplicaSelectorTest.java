package dev.sluice.modules.readwritesplit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.server.Server;
import dev.sluice.modules.FakeServer;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaSelectorTest {
    static Server replica(String name, long lag, int rank) {
        return new FakeServer(name, rank, FakeServer.status(lag, StatusBit.RUNNING, StatusBit.SLAVE));
    }

    private final Map<String, ServerStats> stats = new HashMap<>();

    ServerStats stats(Server s) {
        return stats.computeIfAbsent(s.name(), k -> new ServerStats());
    }

    @Test
    void leastCurrentOperationsPicksTheIdlestReplica() {
        Server a = replica("a", 0, 0);
        Server b = replica("b", 0, 0);
        stats(a).operations.set(3);
        stats(b).operations.set(1);
        ReplicaSelector selector = new ReplicaSelector("least_current_operations", Duration.ZERO);
        assertThat(selector.select(List.of(a, b), this::stats)).isSameAs(b);
        stats(b).operations.set(5);
        assertThat(selector.select(List.of(a, b), this::stats)).isSameAs(a);
    }

    @Test
    void leastRouterConnectionsCountsConnections() {
        Server a = replica("a", 0, 0);
        Server b = replica("b", 0, 0);
        stats(a).connections.set(1);
        stats(a).operations.set(9);
        ReplicaSelector selector = new ReplicaSelector("least_router_connections", Duration.ZERO);
        assertThat(selector.select(List.of(a, b), this::stats)).isSameAs(b);
        stats(b).connections.set(2);
        assertThat(selector.select(List.of(a, b), this::stats)).isSameAs(a);
    }

    @Test
    void leastBehindMasterPicksTheSmallestLag() {
        Server a = replica("a", 5, 0);
        Server b = replica("b", 1, 0);
        assertThat(new ReplicaSelector("least_behind_master", Duration.ZERO).select(List.of(a, b), this::stats))
                .isSameAs(b);
    }

    @Test
    void adaptiveRoutingPrefersTheFasterReplica() {
        Server a = replica("a", 0, 0);
        Server b = replica("b", 0, 0);
        stats(a).averageNanos.set(10_000_000);
        stats(b).averageNanos.set(1_000_000);
        assertThat(new ReplicaSelector("adaptive_routing", Duration.ZERO).select(List.of(a, b), this::stats))
                .isSameAs(b);
    }

    @Test
    void bestRankWinsAndTiesKeepConfigurationOrder() {
        Server secondary = replica("s", 0, 1);
        Server a = replica("a", 0, 0);
        Server b = replica("b", 0, 0);
        ReplicaSelector selector = new ReplicaSelector("least_current_operations", Duration.ZERO);
        assertThat(selector.select(List.of(secondary, a, b), this::stats)).isSameAs(a);
        assertThat(selector.select(List.of(), this::stats)).isNull();
    }

    @Test
    void maxReplicationLagExcludesLaggingReplicasButNotUnknownLag() {
        ReplicaSelector selector = new ReplicaSelector("least_current_operations", Duration.ofSeconds(10));
        assertThat(selector.readable(replica("a", 9, 0).status())).isTrue();
        assertThat(selector.readable(replica("a", 10, 0).status())).isFalse();
        assertThat(selector.readable(replica("a", -1, 0).status())).isTrue();
        assertThat(new ReplicaSelector("least_current_operations", Duration.ZERO)
                .readable(replica("a", 1000, 0).status())).isTrue();
        assertThat(selector.readable(new ServerStatus(StatusBit.RUNNING.mask() | StatusBit.SLAVE.mask()
                | StatusBit.MAINTENANCE.mask(), 0, 1, true, "", "", "", ""))).isFalse();
    }
}
