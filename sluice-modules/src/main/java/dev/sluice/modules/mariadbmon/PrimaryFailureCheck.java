package dev.sluice.modules.mariadbmon;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code verify_master_failure} with {@code master_failure_timeout}, as MaxScale does it: before failing over a
 * primary the monitor cannot reach, it asks whether the replicas still hear from it. A replica does while its IO
 * thread is connected ({@code Slave_IO_Running=Yes}) and it received something — an event ({@code Gtid_IO_Pos}
 * moved) or a heartbeat ({@code Slave_received_heartbeats} grew) — less than {@code master_failure_timeout} ago;
 * then the monitor itself may be the one cut off, and there is no failover. A replica whose IO thread is not
 * connected has lost the primary at once. Remembers, per replication connection, when its position or heartbeat
 * count last changed (the first sight counts as a change). Confined to the monitor thread.
 */
final class PrimaryFailureCheck {

    private record Seen(String gtidIoPos, long heartbeats, long changedNanos) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    /** Records this tick's replication connections. */
    void update(List<ServerSnapshot> snapshots, long nowNanos) {
        for (int i = 0; i < snapshots.size(); i++) {
            ServerSnapshot s = snapshots.get(i);
            if (!s.reachable()) {
                continue;
            }
            for (ReplicationConnection c : s.connections()) {
                String key = i + "/" + c.name();
                Seen before = seen.get(key);
                if (before == null || !before.gtidIoPos().equals(c.gtidIoPos())
                        || before.heartbeats() != c.receivedHeartbeats()) {
                    seen.put(key, new Seen(c.gtidIoPos(), c.receivedHeartbeats(), nowNanos));
                }
            }
        }
    }

    /**
     * A replica of {@code primary} that still hears from it, described for the log ("db2 (IO thread connected,
     * last event or heartbeat 1.2 s ago)"), or empty when none does and the failure is verified.
     */
    String stillHeard(ReplicationGraph graph, int primary, Duration timeout, long nowNanos) {
        for (ReplicationGraph.Edge edge : graph.replicasOf(primary)) {
            ReplicationConnection c = edge.connection();
            if (c.ioThread() != ReplicationConnection.IoThread.YES) {
                continue;
            }
            Seen s = seen.get(edge.replica() + "/" + c.name());
            long ago = s == null ? 0 : nowNanos - s.changedNanos();
            if (ago < timeout.toNanos()) {
                return graph.endpoint(edge.replica()).name() + " (IO thread connected, last event or heartbeat "
                        + String.format(java.util.Locale.ROOT, "%.1f", ago / 1e9) + " s ago, master_failure_timeout "
                        + timeout.toMillis() / 1000.0 + " s)";
            }
        }
        return "";
    }
}
