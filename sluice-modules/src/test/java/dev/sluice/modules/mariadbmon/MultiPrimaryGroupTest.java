package dev.sluice.modules.mariadbmon;

import static dev.sluice.modules.mariadbmon.ReplicationConnection.IoThread.YES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.server.ServerStatus;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Multi-primary groups (replication cycles) in the pure topology logic; the real-server test is MultiPrimaryCycleIT. */
class MultiPrimaryGroupTest {

    private final PrimarySelector selector = new PrimarySelector(5);

    private static ServerSnapshot replicating(long id, boolean readOnly, String... hosts) {
        return ServerSnapshot.running(id, readOnly, java.util.Arrays.stream(hosts)
                .map(h -> new ReplicationConnection(h, h, 3306, 0, YES, true, 0, "", "", "")).toList());
    }

    private static ReplicationGraph graph(ServerSnapshot... snapshots) {
        return ReplicationGraph.build(PrimarySelectorTest.FOUR.subList(0, snapshots.length), List.of(snapshots), true);
    }

    private OptionalInt select(ReplicationGraph g, int current) {
        return selector.select(g, current, new int[g.size()]);
    }

    @Test
    void aTwoServerCycleIsOneGroupAndItsReplicaIsNot() {
        ReplicationGraph g = graph(replicating(1, false, "10.0.0.2"), replicating(2, true, "10.0.0.1"),
                replicating(3, true, "10.0.0.2"));
        assertThat(g.cycleOf(0)).isPositive().isEqualTo(g.cycleOf(1));
        assertThat(g.cycleOf(2)).isZero();
        assertThat(g.cycleMembers(g.cycleOf(0))).containsExactly(0, 1);
        assertThat(g.inClosedCycle(0)).isTrue();
    }

    @Test
    void theWritableCycleMemberIsThePrimaryAndTheOthersItsReplicas() {
        ReplicationGraph g = graph(replicating(1, true, "10.0.0.2"), replicating(2, false, "10.0.0.1"),
                replicating(3, true, "10.0.0.1"));
        OptionalInt primary = select(g, -1);
        assertThat(primary).hasValue(1);
        List<ServerStatus> statuses = StatusAssigner.assign(g, primary, new int[3]);
        assertThat(statuses.get(1).isMaster()).isTrue();
        assertThat(statuses.get(0).isSlave()).isTrue();
        assertThat(statuses.get(0).isMaster()).isFalse();
        assertThat(statuses.get(2).isSlave()).isTrue();
    }

    @Test
    void withSeveralWritableMembersTheFirstListedWinsAndOnlyOneIsMaster() {
        ReplicationGraph g = graph(replicating(1, false, "10.0.0.2"), replicating(2, false, "10.0.0.1"));
        assertThat(select(g, -1)).hasValue(0);
        List<ServerStatus> statuses = StatusAssigner.assign(g, select(g, -1), new int[2]);
        assertThat(statuses.stream().filter(ServerStatus::isMaster).count()).isEqualTo(1);
        assertThat(statuses.get(1).isSlave()).isTrue();
    }

    @Test
    void aCycleCountsItsMembersAsReplicasAgainstALoneWritableServer() {
        // db1 writable alone; db2 <-> db3 cycle, db3 writable
        ReplicationGraph g = graph(ServerSnapshot.running(1, false, List.of()), replicating(2, true, "10.0.0.3"),
                replicating(3, false, "10.0.0.2"));
        assertThat(select(g, -1)).hasValue(2);
    }

    @Test
    void aCycleThatReplicatesFromAnotherMonitoredServerIsNoCandidate() {
        // db2 <-> db3, and db3 also replicates from db1 (multi-source): the group has a monitored source outside
        ReplicationGraph g = graph(ServerSnapshot.running(1, false, List.of()), replicating(2, false, "10.0.0.3"),
                replicating(3, false, "10.0.0.2", "10.0.0.1"));
        assertThat(g.inClosedCycle(1)).isFalse();
        assertThat(PrimarySelector.whyNotCandidate(g, 1)).isEqualTo("replicates from db3");
        assertThat(select(g, -1)).hasValue(0);
    }

    @Test
    void aCyclePrimaryStaysUntilItTurnsReadOnly() {
        ReplicationGraph g = graph(replicating(1, false, "10.0.0.2"), replicating(2, false, "10.0.0.1"));
        assertThat(select(g, 1)).hasValue(1); // sticky although db1 is listed first
        ReplicationGraph readOnly = graph(replicating(1, false, "10.0.0.2"), replicating(2, true, "10.0.0.1"));
        assertThat(select(readOnly, 1)).hasValue(0);
    }
}
