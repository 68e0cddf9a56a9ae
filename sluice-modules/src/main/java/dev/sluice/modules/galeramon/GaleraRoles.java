package dev.sluice.modules.galeramon;

import dev.sluice.api.server.StatusBit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The decisions of one {@code galeramon} tick, from what the nodes reported: which nodes are usable members of
 * the cluster ({@code Synced}), which one is the Master, and the status of every server. Pure: no I/O, no
 * clock, so that every rule is unit-tested on plain records.
 *
 * <p>A node is <em>joined</em> when it is Synced ({@code wsrep_local_state=4}, or a donor of a non-blocking SST
 * with {@code available_when_donor}), ready, in a primary component, not desynced, not rejecting queries (a
 * donor with {@code wsrep_sst_donor_rejects_queries} counts as rejecting) and has a valid
 * {@code wsrep_local_index}. It gets {@code Synced} only when its {@code wsrep_cluster_state_uuid} is the one
 * most reachable nodes report (ties: the greater UUID, as MaxScale). Among those, the Master is the lowest
 * {@code wsrep_local_index}, or with {@code use_priority} the lowest positive {@code priority} (priority 0:
 * only when no positive one is usable; negative: never); {@code root_node_as_master} accepts only index 0;
 * {@code disable_master_failback} keeps the previous Master while it stays Synced, and marks it
 * {@code Master Stickiness} while another node would have been chosen. The other Synced nodes are Slaves; a
 * non-Galera server whose replication (SQL thread running) comes from a Synced node is a Slave too.
 * Servers in maintenance are never chosen as Master.
 */
final class GaleraRoles {

    private static final Set<String> NON_BLOCKING_SST = Set.of("xtrabackup", "xtrabackup-v2", "mariabackup");
    private static final int SYNCED = 4;
    private static final int DONOR = 2;

    private GaleraRoles() {
    }

    /**
     * The outcome of one tick.
     *
     * @param master      index of the Master, or -1
     * @param candidate   the node the rules would choose without stickiness, or -1
     * @param clusterUuid the majority's cluster UUID, empty when no node reported one
     * @param clusterSize how many monitored nodes report that UUID
     * @param bits        per server, {@link StatusBit} masks
     * @param lag         per server, the replication lag to publish (0 for Galera members, -1 unknown)
     * @param details     per server, why it has the status it has (empty when nothing to say)
     * @param joined      per server, whether it counts as a usable member (before the UUID check)
     */
    record Decision(int master, int candidate, String clusterUuid, int clusterSize, long[] bits, long[] lag,
                    String[] details, boolean[] joined) {

        boolean synced(int i) {
            return (bits[i] & StatusBit.SYNCED.mask()) != 0;
        }
    }

    /**
     * @param nodes          this tick's reading of every monitored server, in {@code servers} order
     * @param priorities     each server's {@code priority} parameter
     * @param maintenance    whether each server is in maintenance (never chosen as Master)
     * @param previousMaster the Master of the previous tick, or -1
     */
    static Decision decide(List<GaleraNodeState> nodes, long[] priorities, boolean[] maintenance, int previousMaster,
                           GaleraMonitorConfig config) {
        int n = nodes.size();
        boolean[] joined = new boolean[n];
        String[] details = new String[n];
        for (int i = 0; i < n; i++) {
            details[i] = whyNotJoined(nodes.get(i), config);
            joined[i] = nodes.get(i).reachable() && details[i].isEmpty();
        }
        String uuid = majorityUuid(nodes);
        int clusterSize = 0;
        boolean[] member = new boolean[n];
        for (int i = 0; i < n; i++) {
            GaleraNodeState s = nodes.get(i);
            if (s.reachable() && !uuid.isEmpty() && uuid.equals(s.clusterUuid())) {
                clusterSize++;
            }
            member[i] = joined[i] && uuid.equals(s.clusterUuid());
            if (joined[i] && !member[i]) {
                details[i] = "cluster UUID " + s.clusterUuid() + " is not the majority's (" + uuid + ")";
            }
        }
        int candidate = candidate(nodes, member, priorities, maintenance, config);
        int master = candidate;
        if (config.disableMasterFailback() && previousMaster >= 0 && previousMaster < n && member[previousMaster]
                && !maintenance[previousMaster]) {
            master = previousMaster;
        }
        long[] bits = new long[n];
        long[] lag = new long[n];
        for (int i = 0; i < n; i++) {
            GaleraNodeState s = nodes.get(i);
            lag[i] = -1;
            if (!s.reachable()) {
                bits[i] = s.authError() ? StatusBit.RUNNING.mask() | StatusBit.AUTH_ERROR.mask() : 0;
                details[i] = s.authError() ? "monitor cannot log in: " + s.error() : s.error();
                continue;
            }
            bits[i] = StatusBit.RUNNING.mask();
            if (member[i]) {
                // Galera has no replication lag the monitor could measure; 0 keeps max_replication_lag usable
                lag[i] = 0;
                bits[i] |= StatusBit.SYNCED.mask();
                if (!config.disableMasterRoleSetting()) {
                    if (i == master) {
                        bits[i] |= StatusBit.MASTER.mask();
                        if (candidate >= 0 && candidate != master) {
                            bits[i] |= StatusBit.MASTER_STICKINESS.mask();
                            details[i] = "Master Stickiness: kept while " + nodes.get(candidate).nodeName()
                                    + " would be chosen";
                        }
                    } else {
                        bits[i] |= StatusBit.SLAVE.mask();
                    }
                }
            } else if (s.masterServerId() != 0 && replicatesFromMember(nodes, member, s.masterServerId())) {
                bits[i] |= StatusBit.SLAVE.mask();
                lag[i] = s.replicationLag();
                details[i] = "";
            }
        }
        return new Decision(config.disableMasterRoleSetting() ? -1 : master, candidate, uuid, clusterSize, bits,
                lag, details, joined);
    }

    /** Empty when the node is a usable cluster member by its own report; otherwise the reason it is not. */
    static String whyNotJoined(GaleraNodeState s, GaleraMonitorConfig config) {
        if (!s.reachable()) {
            return s.error();
        }
        String comment = s.stateComment().isEmpty() ? "wsrep_local_state " + s.localState() : s.stateComment();
        if (!"Primary".equalsIgnoreCase(s.clusterStatus())) {
            return "not in a primary component (wsrep_cluster_status "
                    + (s.clusterStatus().isEmpty() ? "unknown" : s.clusterStatus()) + ")";
        }
        if (!s.ready()) {
            return "wsrep_ready is OFF (" + comment + ")";
        }
        if (s.desync()) {
            return "desynced (wsrep_desync=ON)";
        }
        String reject = s.rejectQueries().toUpperCase(Locale.ROOT);
        if (reject.equals("ALL") || reject.equals("ALL_KILL")) {
            return "rejects queries (wsrep_reject_queries=" + reject + ")";
        }
        boolean donorAvailable = s.localState() == DONOR && config.availableWhenDonor()
                && NON_BLOCKING_SST.contains(s.sstMethod().toLowerCase(Locale.ROOT));
        if (s.localState() == DONOR && s.donorRejectsQueries()) {
            return "donor rejecting queries (wsrep_sst_donor_rejects_queries=ON)";
        }
        if (s.localState() != SYNCED && !donorAvailable) {
            return comment;
        }
        if (s.localIndex() < 0) {
            return "no valid wsrep_local_index";
        }
        return "";
    }

    /** The UUID most reachable nodes report; ties go to the greater UUID. Empty when none reported one. */
    static String majorityUuid(List<GaleraNodeState> nodes) {
        Map<String, Integer> counts = new HashMap<>();
        for (GaleraNodeState s : nodes) {
            if (s.reachable() && !s.clusterUuid().isEmpty()) {
                counts.merge(s.clusterUuid(), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse("");
    }

    /**
     * The Master the rules choose among the members not in maintenance: the lowest positive priority with
     * {@code use_priority}, otherwise (and for priority 0) the lowest {@code wsrep_local_index}; -1 if none.
     */
    private static int candidate(List<GaleraNodeState> nodes, boolean[] member, long[] priorities,
                                 boolean[] maintenance, GaleraMonitorConfig config) {
        int best = -1;
        long bestPriority = Long.MAX_VALUE;
        long minIndex = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (!member[i] || maintenance[i]) {
                continue;
            }
            long priority = priorities[i];
            long index = nodes.get(i).localIndex();
            if (config.usePriority() && priority != 0) {
                if (priority > 0 && priority < bestPriority) {
                    bestPriority = priority;
                    best = i;
                }
            } else if (index >= 0) {
                if (config.usePriority() && best >= 0 && priorities[best] > 0) {
                    continue; // a node with a positive priority beats every node without one
                }
                if (minIndex < 0 || index < minIndex) {
                    minIndex = index;
                    best = i;
                }
            }
        }
        if (!config.usePriority() && !config.disableMasterFailback() && config.rootNodeAsMaster() && minIndex > 0) {
            return -1; // the root node (index 0) is not reachable from here: no Master rather than a different one
        }
        return best;
    }

    private static boolean replicatesFromMember(List<GaleraNodeState> nodes, boolean[] member, long masterServerId) {
        for (int i = 0; i < nodes.size(); i++) {
            if (member[i] && nodes.get(i).serverId() == masterServerId) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code set_donor_nodes}: the Slave members sorted as donors should be tried — by {@code wsrep_local_index}
     * descending, or with {@code use_priority} (when one has a positive priority) those without a positive
     * priority first, then by priority descending — so that the likeliest Master candidates come last.
     */
    static List<Integer> donorOrder(List<GaleraNodeState> nodes, Decision decision, long[] priorities,
                                    GaleraMonitorConfig config) {
        List<Integer> slaves = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (decision.synced(i) && (decision.bits()[i] & StatusBit.SLAVE.mask()) != 0) {
                slaves.add(i);
            }
        }
        boolean byPriority = config.usePriority() && slaves.stream().anyMatch(i -> priorities[i] > 0);
        Comparator<Integer> order = byPriority
                ? Comparator.<Integer, Boolean>comparing(i -> priorities[i] > 0)
                        .thenComparing(i -> priorities[i] > 0 ? -priorities[i] : 0)
                : Comparator.comparingLong(i -> -nodes.get(i).localIndex());
        slaves.sort(order);
        return slaves;
    }
}
