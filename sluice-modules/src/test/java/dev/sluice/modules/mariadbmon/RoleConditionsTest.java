package dev.sluice.modules.mariadbmon;

import static dev.sluice.modules.mariadbmon.ReplicationConnection.IoThread.CONNECTING;
import static dev.sluice.modules.mariadbmon.ReplicationConnection.IoThread.YES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.server.ServerStatus;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** master_conditions and slave_conditions on hand-made graphs. */
class RoleConditionsTest {

    private static final List<ReplicationGraph.Endpoint> THREE = List.of(
            new ReplicationGraph.Endpoint("db1", "10.0.0.1", 3306),
            new ReplicationGraph.Endpoint("db2", "10.0.0.2", 3306),
            new ReplicationGraph.Endpoint("db3", "10.0.0.3", 3306));

    private static ReplicationGraph graph(ServerSnapshot... snapshots) {
        return ReplicationGraph.build(THREE.subList(0, snapshots.length), List.of(snapshots), true);
    }

    private static ServerSnapshot replica(long id, String host, ReplicationConnection.IoThread io) {
        return ServerSnapshot.running(id, true, List.of(PrimarySelectorTest.from(host, io, true, 0)));
    }

    private static List<ServerStatus> apply(ReplicationGraph g, List<String> master, List<String> slave,
                                            boolean agrees) {
        return RoleConditions.apply(StatusAssigner.assign(g, OptionalInt.of(0), new int[g.size()]), g, 0, master,
                slave, agrees);
    }

    @Test
    void defaultsChangeNothing() {
        ReplicationGraph g = graph(PrimarySelectorTest.standalone(1, false), replica(2, "10.0.0.1", CONNECTING),
                replica(3, "10.0.0.1", YES));
        List<ServerStatus> s = apply(g, List.of("primary_monitor_master", "disk_space_ok"), List.of("none"), true);
        assertThat(s.get(0).isMaster()).isTrue();
        assertThat(s.get(1).isSlave()).isTrue();
        assertThat(s.get(2).isSlave()).isTrue();
    }

    @Test
    void connectedSlaveNeedsAConnectedReplicaAndConnectingSlaveAConnectingOne() {
        ReplicationGraph connecting = graph(PrimarySelectorTest.standalone(1, false),
                replica(2, "10.0.0.1", CONNECTING));
        assertThat(apply(connecting, List.of("connecting_slave"), List.of(), true).get(0).isMaster()).isTrue();
        ServerStatus primary = apply(connecting, List.of("connected_slave"), List.of(), true).get(0);
        assertThat(primary.isMaster()).isFalse();
        assertThat(primary.isRunning()).isTrue();
        assertThat(primary.detail()).startsWith("master_conditions: no replica is connected (connected_slave)");
        ReplicationGraph alone = graph(PrimarySelectorTest.standalone(1, false));
        assertThat(apply(alone, List.of("running_slave"), List.of(), true).get(0).isMaster()).isFalse();
    }

    @Test
    void linkedMasterNeedsEveryLinkUpToThePrimaryConnected() {
        // db1 <- db2 (connecting) <- db3 (connected): db3's chain is broken at db2's link
        ReplicationGraph g = graph(PrimarySelectorTest.standalone(1, false), replica(2, "10.0.0.1", CONNECTING),
                replica(3, "10.0.0.2", YES));
        List<ServerStatus> s = apply(g, List.of(), List.of("linked_master"), true);
        assertThat(s.get(1).isSlave()).isFalse();
        assertThat(s.get(2).isSlave()).isFalse();
        assertThat(s.get(2).detail()).contains("replication from db1 is not connected and running (linked_master)");
        assertThat(apply(g, List.of(), List.of(), true).get(2).isSlave()).isTrue();
    }

    @Test
    void writableMasterAndPrimaryMonitorMasterFollowThePrimary() {
        ReplicationGraph g = graph(PrimarySelectorTest.standalone(1, false), replica(2, "10.0.0.1", YES));
        List<ServerStatus> s = apply(g, List.of("connected_slave", "running_slave"), List.of("writable_master"),
                true);
        assertThat(s.get(0).isMaster()).isTrue();
        assertThat(s.get(1).isSlave()).isTrue();
        ReplicationGraph noReplicaConnected = graph(PrimarySelectorTest.standalone(1, false),
                replica(2, "10.0.0.1", CONNECTING));
        List<ServerStatus> lost = apply(noReplicaConnected, List.of("connected_slave"), List.of("writable_master"),
                true);
        assertThat(lost.get(1).isSlave()).isFalse();
        assertThat(lost.get(1).detail()).contains("writable_master");
        assertThat(apply(g, List.of(), List.of("primary_monitor_master"), false).get(1).isSlave()).isFalse();
    }
}
