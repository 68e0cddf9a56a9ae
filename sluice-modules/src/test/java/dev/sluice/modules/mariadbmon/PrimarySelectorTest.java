package dev.sluice.modules.mariadbmon;

import static dev.sluice.modules.mariadbmon.ReplicationConnection.IoThread.CONNECTING;
import static dev.sluice.modules.mariadbmon.ReplicationConnection.IoThread.NO;
import static dev.sluice.modules.mariadbmon.ReplicationConnection.IoThread.YES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PrimarySelectorTest {

    static final List<ReplicationGraph.Endpoint> FOUR = List.of(
            new ReplicationGraph.Endpoint("db1", "10.0.0.1", 3306),
            new ReplicationGraph.Endpoint("db2", "10.0.0.2", 3306),
            new ReplicationGraph.Endpoint("db3", "10.0.0.3", 3306),
            new ReplicationGraph.Endpoint("db4", "10.0.0.4", 3306));

    private final PrimarySelector selector = new PrimarySelector(5);

    static ReplicationConnection from(String host, ReplicationConnection.IoThread io, boolean sql, long lag) {
        return new ReplicationConnection("", host, 3306, 0, io, sql, lag, "", "", "");
    }

    static ServerSnapshot replicaOf(long id, String host, long lag) {
        return ServerSnapshot.running(id, true, List.of(from(host, YES, true, lag)));
    }

    static ServerSnapshot standalone(long id, boolean readOnly) {
        return ServerSnapshot.running(id, readOnly, List.of());
    }

    static ServerSnapshot down() {
        return ServerSnapshot.unreachable("Connection refused", false);
    }

    private static ReplicationGraph graph(ServerSnapshot... snapshots) {
        return ReplicationGraph.build(FOUR.subList(0, snapshots.length), List.of(snapshots), true);
    }

    private OptionalInt select(ReplicationGraph graph, int current, int... downTicks) {
        int[] ticks = new int[graph.size()];
        System.arraycopy(downTicks, 0, ticks, 0, downTicks.length);
        return selector.select(graph, current, ticks);
    }

    @Test
    void theWritableServerWithReplicasIsChosen() {
        ReplicationGraph g = graph(replicaOf(1, "10.0.0.2", 0), standalone(2, false), replicaOf(3, "10.0.0.2", 0));
        assertThat(select(g, -1)).hasValue(1);
    }

    @Test
    void mostTransitiveReplicasWinOverMostDirectOnes() {
        // db1 <- db2 <- db3 (relay chain, 2 below db1) vs db4 standalone writable with nothing below
        ReplicationGraph g = graph(standalone(1, false), replicaOf(2, "10.0.0.1", 0), replicaOf(3, "10.0.0.2", 0),
                standalone(4, false));
        assertThat(select(g, -1)).hasValue(0);
        assertThat(g.runningReplicasBelow(0)).extracting(ReplicationGraph.Edge::replica).containsExactly(1, 2);
    }

    @Test
    void aTieGoesToTheServerListedFirst() {
        ReplicationGraph g = graph(standalone(1, false), standalone(2, false));
        assertThat(select(g, -1)).hasValue(0);
    }

    @Test
    void readOnlyOrReplicatingServersAreNoCandidates() {
        ReplicationGraph g = graph(standalone(1, true), replicaOf(2, "10.0.0.1", 0));
        assertThat(select(g, -1)).isEmpty();
    }

    @Test
    void theCurrentPrimaryStaysEvenWhenAnotherHasMoreReplicas() {
        ReplicationGraph g = graph(standalone(1, false), standalone(2, false), replicaOf(3, "10.0.0.2", 0));
        assertThat(select(g, -1)).hasValue(1);
        assertThat(select(g, 0)).hasValue(0);
    }

    @Test
    void thePrimaryIsReplacedWhenReadOnlyTurnsOn() {
        ReplicationGraph g = graph(standalone(1, true), replicaOf(2, "10.0.0.1", 0), standalone(3, false));
        assertThat(select(g, 0)).hasValue(2);
    }

    @Test
    void withEnforceWritableMasterAReadOnlyPrimaryStaysThePrimary() {
        ReplicationGraph g = graph(standalone(1, true), replicaOf(2, "10.0.0.1", 0), standalone(3, false));
        assertThat(new PrimarySelector(5, true).select(g, 0, new int[3])).hasValue(0);
        assertThat(new PrimarySelector(5, true).select(g, -1, new int[3])).as("but is not chosen anew").hasValue(2);
    }

    @Test
    void thePrimaryIsReplacedWhenItStartsReplicatingFromAMonitoredServer() {
        ReplicationGraph g = graph(ServerSnapshot.running(1, false, List.of(from("10.0.0.2", YES, true, 0))),
                standalone(2, false));
        assertThat(select(g, 0)).hasValue(1);
    }

    @Test
    void aDownPrimaryWithRunningReplicasStaysPrimary() {
        ReplicationGraph g = graph(down(), ServerSnapshot.running(2, true, List.of(from("10.0.0.1", CONNECTING, true,
                -1))), standalone(3, false));
        assertThat(select(g, 0, 100)).hasValue(0);
    }

    @Test
    void aDownPrimaryWithoutReplicasIsKeptForFailcountTicksOnly() {
        ReplicationGraph g = graph(down(), standalone(2, false));
        assertThat(select(g, 0, 5)).hasValue(0);
        assertThat(select(g, 0, 6)).hasValue(1);
    }

    @Test
    void stoppedReplicationIsNoEdge() {
        ReplicationGraph g = graph(standalone(1, false),
                ServerSnapshot.running(2, true, List.of(from("10.0.0.1", NO, false, -1))),
                ServerSnapshot.running(3, true, List.of(from("10.0.0.1", CONNECTING, false, -1))));
        assertThat(g.replicasOf(0)).isEmpty();
    }

    @Test
    void statusesMarkMasterSlaveRelayExternalAndDown() {
        ReplicationGraph g = ReplicationGraph.build(FOUR, List.of(
                standalone(1, false),
                replicaOf(2, "10.0.0.1", 3),
                replicaOf(3, "10.0.0.2", 7),
                down()), true);
        List<ServerStatus> s = StatusAssigner.assign(g, OptionalInt.of(0), new int[] {0, 0, 0, 1});
        assertThat(s.get(0).stateString()).isEqualTo("Master, Running");
        assertThat(s.get(1).stateString()).isEqualTo("Slave, Relay Master, Running");
        assertThat(s.get(1).replicationLag()).isEqualTo(3);
        assertThat(s.get(2).stateString()).isEqualTo("Slave, Running");
        assertThat(s.get(2).replicationLag()).isEqualTo(7);
        assertThat(s.get(3).stateString()).isEqualTo("Down");
        assertThat(s.get(3).detail()).contains("Connection refused");
    }

    @Test
    void anUnmonitoredSourceMakesASlaveOfExternalServer() {
        ReplicationGraph g = graph(ServerSnapshot.running(1, false, List.of(from("192.168.1.1", YES, true, 0))),
                replicaOf(2, "10.0.0.1", 0));
        OptionalInt p = select(g, -1);
        assertThat(p).hasValue(0);
        List<ServerStatus> s = StatusAssigner.assign(g, p, new int[2]);
        assertThat(s.get(0).is(StatusBit.SLAVE_OF_EXTERNAL_MASTER)).isTrue();
        assertThat(s.get(0).isMaster()).isTrue();
        assertThat(s.get(0).detail()).contains("192.168.1.1:3306");
    }

    @Test
    void serverIdMatchesWhenHostnamesAreNotAssumedUnique() {
        List<ServerSnapshot> snapshots = new ArrayList<>();
        snapshots.add(standalone(11, false));
        snapshots.add(ServerSnapshot.running(12, true, List.of(
                new ReplicationConnection("", "db1.example", 3306, 11, YES, true, 0, "", "", ""))));
        List<ReplicationGraph.Endpoint> two = FOUR.subList(0, 2);
        assertThat(ReplicationGraph.build(two, snapshots, true).replicasOf(0)).isEmpty();
        assertThat(ReplicationGraph.build(two, snapshots, false).replicasOf(0)).hasSize(1);
    }
}
