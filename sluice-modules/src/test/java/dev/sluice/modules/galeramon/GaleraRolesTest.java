package dev.sluice.modules.galeramon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import dev.sluice.modules.monitor.MonitorSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GaleraRolesTest {

    private static final String UUID = "8c5d1f2e-0000-11f1-9409-37a1a20779a7";
    private static final String OTHER = "11111111-0000-11f1-9409-37a1a20779a7";

    /** A Synced member of a primary component, to be changed by the withers below. */
    private static Node node(int index) {
        return new Node(index);
    }

    private static final class Node {
        int localState = 4;
        String comment = "Synced";
        long index;
        String uuid = UUID;
        String clusterStatus = "Primary";
        boolean ready = true;
        boolean desync;
        String reject = "NONE";
        boolean donorRejects;
        String sstMethod = "rsync";
        long masterServerId;
        long lag = -1;
        boolean reachable = true;
        boolean authError;

        Node(long index) {
            this.index = index;
        }

        GaleraNodeState state() {
            if (!reachable) {
                return GaleraNodeState.unreachable(authError ? "Access denied" : "Connection refused", authError);
            }
            return new GaleraNodeState(true, false, "", localState, comment, index, uuid, 3, clusterStatus, ready,
                    desync, reject, donorRejects, sstMethod, "g" + index, "", 100 + index, false, "10.11.19", "", "",
                    masterServerId, lag);
        }
    }

    private static GaleraMonitorConfig config(boolean failback, boolean donor, boolean noRoles, boolean root,
                                              boolean priority) {
        return new GaleraMonitorConfig(new MonitorSettings(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), "u", "p"), failback, donor, noRoles, root, priority, false);
    }

    private static final GaleraMonitorConfig DEFAULTS = config(false, false, false, false, false);

    private static GaleraRoles.Decision decide(GaleraMonitorConfig config, int previousMaster, long[] priorities,
                                               Node... nodes) {
        List<GaleraNodeState> states = new ArrayList<>();
        for (Node n : nodes) {
            states.add(n.state());
        }
        return GaleraRoles.decide(states, priorities, new boolean[nodes.length], previousMaster, config);
    }

    private static GaleraRoles.Decision decide(Node... nodes) {
        return decide(DEFAULTS, -1, new long[nodes.length], nodes);
    }

    private static String state(GaleraRoles.Decision d, int i) {
        return new ServerStatus(d.bits()[i], -1, -1, false, "", "", "", "").stateString();
    }

    @Test
    void theLowestLocalIndexIsTheMasterAndTheOtherSyncedNodesAreSlaves() {
        GaleraRoles.Decision d = decide(node(2), node(0), node(1));
        assertThat(d.master()).isEqualTo(1);
        assertThat(state(d, 1)).isEqualTo("Master, Synced, Running");
        assertThat(state(d, 0)).isEqualTo("Slave, Synced, Running");
        assertThat(state(d, 2)).isEqualTo("Slave, Synced, Running");
        assertThat(d.clusterUuid()).isEqualTo(UUID);
        assertThat(d.clusterSize()).isEqualTo(3);
        assertThat(d.lag()).containsExactly(0, 0, 0);
    }

    @Test
    void aDesyncedNodeIsOnlyRunning() {
        Node desynced = node(0);
        desynced.desync = true;
        desynced.localState = 2;
        desynced.comment = "Donor/Desynced";
        GaleraRoles.Decision d = decide(desynced, node(1), node(2));
        assertThat(state(d, 0)).isEqualTo("Running");
        assertThat(d.details()[0]).contains("desynced");
        assertThat(d.master()).isEqualTo(1);
    }

    @Test
    void aNodeOutsideThePrimaryComponentIsOnlyRunning() {
        Node isolated = node(0);
        isolated.clusterStatus = "non-Primary";
        isolated.ready = false;
        isolated.comment = "Initialized";
        isolated.localState = 0;
        GaleraRoles.Decision d = decide(isolated, node(1), node(2));
        assertThat(state(d, 0)).isEqualTo("Running");
        assertThat(d.details()[0]).contains("not in a primary component");
        assertThat(d.master()).isEqualTo(1);
    }

    @Test
    void aNodeWithTheMinoritysClusterUuidIsNotSynced() {
        Node stray = node(0);
        stray.uuid = "ffffffff-0000-11f1-9409-37a1a20779a7";
        GaleraRoles.Decision d = decide(stray, node(1), node(2));
        assertThat(state(d, 0)).isEqualTo("Running");
        assertThat(d.details()[0]).contains("not the majority's");
        assertThat(d.clusterSize()).isEqualTo(2);
        assertThat(d.master()).isEqualTo(1);
    }

    @Test
    void equallyLargeGroupsAreDecidedByTheGreaterUuid() {
        Node a = node(0);
        a.uuid = OTHER;
        GaleraRoles.Decision d = decide(a, node(0));
        assertThat(d.clusterUuid()).isEqualTo(UUID); // "8c…" > "11…"
        assertThat(d.master()).isEqualTo(1);
    }

    @Test
    void aNodeRejectingAllQueriesIsNotUsable() {
        Node rejecting = node(0);
        rejecting.reject = "ALL_KILL";
        assertThat(state(decide(rejecting, node(1)), 0)).isEqualTo("Running");
        rejecting.reject = "NONE";
        assertThat(state(decide(rejecting, node(1)), 0)).isEqualTo("Master, Synced, Running");
    }

    @Test
    void aDonorIsUsableOnlyWithAvailableWhenDonorAndANonBlockingSstMethod() {
        Node donor = node(1);
        donor.localState = 2;
        donor.comment = "Donor/Desynced";
        GaleraMonitorConfig available = config(false, true, false, false, false);
        assertThat(state(decide(DEFAULTS, -1, new long[2], node(0), donor), 1)).isEqualTo("Running");
        assertThat(state(decide(available, -1, new long[2], node(0), donor), 1)).isEqualTo("Running"); // rsync
        donor.sstMethod = "mariabackup";
        assertThat(state(decide(available, -1, new long[2], node(0), donor), 1)).isEqualTo("Slave, Synced, Running");
        donor.donorRejects = true;
        GaleraRoles.Decision rejecting = decide(available, -1, new long[2], node(0), donor);
        assertThat(state(rejecting, 1)).isEqualTo("Running");
        assertThat(rejecting.details()[1]).contains("wsrep_sst_donor_rejects_queries");
    }

    @Test
    void withUsePriorityTheLowestPositivePriorityWinsNegativeNeverZeroOnlyAsALastResort() {
        GaleraMonitorConfig priority = config(false, false, false, false, true);
        // index order would pick node 0; priorities: 0 -> 0, 1 -> 3, 2 -> 2, 3 -> -1
        long[] priorities = {0, 3, 2, -1};
        assertThat(decide(priority, -1, priorities, node(0), node(1), node(2), node(3)).master()).isEqualTo(2);
        Node down = node(2);
        down.reachable = false;
        assertThat(decide(priority, -1, priorities, node(0), node(1), down, node(3)).master()).isEqualTo(1);
        Node down1 = node(1);
        down1.reachable = false;
        assertThat(decide(priority, -1, priorities, node(0), down1, down, node(3)).master()).isEqualTo(0);
        Node down0 = node(0);
        down0.reachable = false;
        assertThat(decide(priority, -1, priorities, down0, down1, down, node(3)).master()).isEqualTo(-1);
        // without use_priority the priorities are ignored
        assertThat(decide(DEFAULTS, -1, priorities, node(0), node(1), node(2), node(3)).master()).isEqualTo(0);
    }

    @Test
    void rootNodeAsMasterGivesNoMasterWhenIndexZeroIsNotSynced() {
        GaleraMonitorConfig root = config(false, false, false, true, false);
        Node zero = node(0);
        zero.desync = true;
        GaleraRoles.Decision d = decide(root, -1, new long[3], zero, node(1), node(2));
        assertThat(d.master()).isEqualTo(-1);
        assertThat(state(d, 1)).isEqualTo("Slave, Synced, Running");
        assertThat(decide(DEFAULTS, -1, new long[3], zero, node(1), node(2)).master()).isEqualTo(1);
        assertThat(decide(root, -1, new long[3], node(0), node(1), node(2)).master()).isEqualTo(0);
    }

    @Test
    void disableMasterFailbackKeepsTheMasterAndMarksItsStickiness() {
        GaleraMonitorConfig sticky = config(true, false, false, false, false);
        // node 0 was down, node 1 became the Master; node 0 is back with the lowest index
        GaleraRoles.Decision d = decide(sticky, 1, new long[3], node(0), node(1), node(2));
        assertThat(d.master()).isEqualTo(1);
        assertThat(d.candidate()).isEqualTo(0);
        assertThat(state(d, 1)).isEqualTo("Master, Synced, Master Stickiness, Running");
        assertThat(d.details()[1]).contains("Master Stickiness");
        assertThat(state(d, 0)).isEqualTo("Slave, Synced, Running");
        // without the option the Master fails back
        assertThat(decide(DEFAULTS, 1, new long[3], node(0), node(1), node(2)).master()).isEqualTo(0);
        // a sticky Master that leaves the cluster is replaced
        Node gone = node(1);
        gone.desync = true;
        assertThat(decide(sticky, 1, new long[3], node(0), gone, node(2)).master()).isEqualTo(0);
    }

    @Test
    void disableMasterRoleSettingPublishesOnlySynced() {
        GaleraMonitorConfig noRoles = config(false, false, true, false, false);
        GaleraRoles.Decision d = decide(noRoles, -1, new long[2], node(0), node(1));
        assertThat(state(d, 0)).isEqualTo("Synced, Running");
        assertThat(state(d, 1)).isEqualTo("Synced, Running");
        assertThat(d.master()).isEqualTo(-1);
    }

    @Test
    void aServerInMaintenanceIsNeverTheMaster() {
        List<GaleraNodeState> states = List.of(node(0).state(), node(1).state());
        GaleraRoles.Decision d = GaleraRoles.decide(states, new long[2], new boolean[] {true, false}, -1, DEFAULTS);
        assertThat(d.master()).isEqualTo(1);
    }

    @Test
    void anAsynchronousReplicaOfASyncedNodeIsASlave() {
        Node replica = node(-1);
        replica.uuid = "";
        replica.clusterStatus = "";
        replica.localState = -1;
        replica.comment = "";
        replica.masterServerId = 100; // node(0)'s server_id
        replica.lag = 4;
        GaleraRoles.Decision d = decide(node(0), node(1), replica);
        assertThat(state(d, 2)).isEqualTo("Slave, Running");
        assertThat(d.lag()[2]).isEqualTo(4);
        replica.masterServerId = 999;
        assertThat(state(decide(node(0), node(1), replica), 2)).isEqualTo("Running");
    }

    @Test
    void unreachableNodesAreDownAndAuthenticationFailuresAreMarked() {
        Node down = node(0);
        down.reachable = false;
        Node denied = node(1);
        denied.reachable = false;
        denied.authError = true;
        GaleraRoles.Decision d = decide(down, denied, node(2));
        assertThat(state(d, 0)).isEqualTo("Down");
        assertThat(d.bits()[1] & StatusBit.AUTH_ERROR.mask()).isNotZero();
        assertThat(d.details()[1]).contains("cannot log in");
        assertThat(d.master()).isEqualTo(2);
    }

    @Test
    void donorsAreOrderedSoThatTheLikeliestMasterCandidatesComeLast() {
        List<GaleraNodeState> states = List.of(node(0).state(), node(1).state(), node(2).state(), node(3).state());
        GaleraRoles.Decision d = GaleraRoles.decide(states, new long[4], new boolean[4], -1, DEFAULTS);
        assertThat(GaleraRoles.donorOrder(states, d, new long[4], DEFAULTS)).containsExactly(3, 2, 1);
        GaleraMonitorConfig priority = config(false, false, false, false, true);
        long[] priorities = {1, 2, 0, 5};
        GaleraRoles.Decision p = GaleraRoles.decide(states, priorities, new boolean[4], -1, priority);
        assertThat(p.master()).isEqualTo(0);
        assertThat(GaleraRoles.donorOrder(states, p, priorities, priority)).containsExactly(2, 3, 1);
    }
}
