package dev.sluice.modules.mariadbmon;

import java.util.OptionalInt;

/**
 * Chooses the primary of a {@link ReplicationGraph} by mariadbmon's rules. Pure: the caller supplies the
 * previous choice and how many consecutive ticks each server has been down.
 *
 * <p>A <em>candidate</em> is running, has {@code read_only} off and replicates from no monitored server —
 * or only from the other members of its multi-primary group (a replication cycle, see
 * {@link ReplicationGraph#cycleOf(int)}) when that group replicates from no monitored server outside it.
 * Among candidates the one with the most running replicas (direct or through running relays) wins; a tie
 * goes to the server listed first in {@code servers=}. A member of a cycle counts the other members as its
 * replicas (MaxScale: "servers in a multimaster group are interpreted as having all the servers in the group
 * as slaves"), so a writable cycle member wins over a lone writable server; only one server is the primary,
 * the other members are published as its replicas.
 *
 * <p>Stickiness: the current primary stays the primary, even when another candidate has more replicas,
 * until it becomes invalid —
 * <ul>
 *   <li>it is running but {@code read_only} was turned on, or it started replicating from a monitored
 *       server;</li>
 *   <li>it has been down for more than {@code failcount} ticks <em>and</em> no running server replicates
 *       from it any more.</li>
 * </ul>
 * A primary in a cycle stays valid while its group replicates from no monitored server outside
 * the group.
 */
public final class PrimarySelector {

    private final int failcount;
    private final boolean keepReadOnlyPrimary;

    public PrimarySelector(int failcount) {
        this(failcount, false);
    }

    /**
     * @param keepReadOnlyPrimary {@code enforce_writable_master}: a primary that turned {@code read_only} on
     *                            stays the primary (the monitor turns it off again)
     */
    public PrimarySelector(int failcount, boolean keepReadOnlyPrimary) {
        if (failcount < 1) {
            throw new IllegalArgumentException("failcount: " + failcount + " (expected: >= 1)");
        }
        this.failcount = failcount;
        this.keepReadOnlyPrimary = keepReadOnlyPrimary;
    }

    /**
     * @param graph           this tick's graph
     * @param currentPrimary  the index chosen last tick, or -1
     * @param downTicks       per server, the number of consecutive ticks it has been unreachable (0 if up)
     * @return the primary's index, or empty when no server qualifies
     */
    public OptionalInt select(ReplicationGraph graph, int currentPrimary, int[] downTicks) {
        if (currentPrimary >= 0 && currentPrimary < graph.size() && stillValid(graph, currentPrimary, downTicks)) {
            return OptionalInt.of(currentPrimary);
        }
        int best = -1;
        int bestReplicas = -1;
        for (int i = 0; i < graph.size(); i++) {
            if (!isCandidate(graph, i)) {
                continue;
            }
            int replicas = graph.runningReplicasBelow(i).size();
            if (replicas > bestReplicas) { // strictly more: ties keep the earlier server
                best = i;
                bestReplicas = replicas;
            }
        }
        return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
    }

    /** Why {@code server} could not be chosen as a new primary, or empty when it could. */
    public static String whyNotCandidate(ReplicationGraph graph, int server) {
        ServerSnapshot s = graph.snapshot(server);
        if (!s.reachable()) {
            return "down";
        }
        if (s.readOnly()) {
            return "read_only is ON";
        }
        if (graph.replicatesFromMonitored(server) && !graph.inClosedCycle(server)) {
            return "replicates from " + graph.endpoint(graph.sourcesOf(server).get(0).source()).name();
        }
        return "";
    }

    static boolean isCandidate(ReplicationGraph graph, int server) {
        return whyNotCandidate(graph, server).isEmpty();
    }

    private boolean stillValid(ReplicationGraph graph, int primary, int[] downTicks) {
        ServerSnapshot s = graph.snapshot(primary);
        if (s.reachable()) {
            return (keepReadOnlyPrimary || !s.readOnly())
                    && (!graph.replicatesFromMonitored(primary) || graph.inClosedCycle(primary));
        }
        return downTicks[primary] <= failcount || graph.hasRunningReplica(primary);
    }
}
