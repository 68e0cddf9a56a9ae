package dev.sluice.modules.mariadbmon;

import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Turns a {@link ReplicationGraph} and the chosen primary into one {@link ServerStatus} per server. Pure.
 *
 * <ul>
 *   <li>the primary, when running: {@code Master, Running};</li>
 *   <li>a running server replicating from the primary, directly or through running relays: {@code Slave},
 *       with the lag ({@code Seconds_Behind_Master}) of the connection it was reached through; {@code Relay
 *       Master} as well when running servers replicate from it in turn. Replicas of a primary that is down
 *       keep {@code Slave} (their IO thread is reconnecting, their data is still readable);</li>
 *   <li>a running server with a replicating connection to an unmonitored source: {@code Slave of External
 *       Server};</li>
 *   <li>a server the monitor reached but could not log in to: {@code Auth Error, Running};</li>
 *   <li>anything unreachable: {@code Down}, with the reason in the detail.</li>
 * </ul>
 */
public final class StatusAssigner {

    private StatusAssigner() {
    }

    public static List<ServerStatus> assign(ReplicationGraph graph, OptionalInt primary, int[] downTicks) {
        int n = graph.size();
        long[] bits = new long[n];
        long[] lag = new long[n];
        String[] detail = new String[n];
        for (int i = 0; i < n; i++) {
            lag[i] = -1;
            detail[i] = "";
            ServerSnapshot s = graph.snapshot(i);
            if (s.reachable()) {
                bits[i] = StatusBit.RUNNING.mask();
            } else if (s.authError()) {
                bits[i] = StatusBit.RUNNING.mask() | StatusBit.AUTH_ERROR.mask();
                detail[i] = "monitor cannot log in: " + s.error();
            } else {
                detail[i] = downTicks[i] > 1 ? "down for " + downTicks[i] + " ticks: " + s.error() : s.error();
            }
        }
        if (primary.isPresent()) {
            int p = primary.getAsInt();
            if (graph.isRunning(p)) {
                bits[p] |= StatusBit.MASTER.mask();
            } else {
                detail[p] = "primary is down: " + detail[p];
            }
            List<ReplicationGraph.Edge> below = graph.runningReplicasBelow(p);
            boolean[] isReplica = new boolean[n];
            for (ReplicationGraph.Edge edge : below) {
                isReplica[edge.replica()] = true;
            }
            for (ReplicationGraph.Edge edge : below) {
                int r = edge.replica();
                bits[r] |= StatusBit.SLAVE.mask();
                lag[r] = edge.connection().secondsBehindMaster();
                if (edge.source() != p) {
                    bits[edge.source()] |= StatusBit.RELAY_MASTER.mask();
                }
            }
        }
        for (int i = 0; i < n; i++) {
            ServerSnapshot s = graph.snapshot(i);
            if (!s.reachable()) {
                continue;
            }
            if (!graph.externalSourcesOf(i).isEmpty()) {
                bits[i] |= StatusBit.SLAVE_OF_EXTERNAL_MASTER.mask();
            }
            if (detail[i].isEmpty()) {
                detail[i] = describeRunning(graph, i, bits[i], primary);
            }
        }
        List<ServerStatus> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ServerSnapshot s = graph.snapshot(i);
            out.add(new ServerStatus(bits[i], lag[i], s.serverId(), s.readOnly(), s.gtidBinlogPos(),
                    s.gtidCurrentPos(), s.version(), detail[i]));
        }
        return out;
    }

    private static String describeRunning(ReplicationGraph graph, int server, long bits, OptionalInt primary) {
        List<String> parts = new ArrayList<>();
        for (ReplicationConnection c : graph.snapshot(server).connections()) {
            String name = c.name().isEmpty() ? "" : "'" + c.name() + "' ";
            if (!c.isReplicating()) {
                parts.add("replication " + name + "from " + c.source() + " stopped (IO " + c.ioThread()
                        + ", SQL " + (c.sqlRunning() ? "YES" : "NO") + ")");
            }
            if (!c.lastIoError().isEmpty()) {
                parts.add("Last_IO_Error " + name + ": " + c.lastIoError());
            }
            if (!c.lastSqlError().isEmpty()) {
                parts.add("Last_SQL_Error " + name + ": " + c.lastSqlError());
            }
        }
        for (ReplicationConnection c : graph.externalSourcesOf(server)) {
            parts.add("replicates from external server " + c.source());
        }
        boolean hasRole = (bits & (StatusBit.MASTER.mask() | StatusBit.SLAVE.mask())) != 0;
        if (!hasRole && primary.isEmpty()) {
            String why = PrimarySelector.whyNotCandidate(graph, server);
            parts.add("no primary" + (why.isEmpty() ? "" : "; this server: " + why));
        } else if (!hasRole && graph.replicatesFromMonitored(server)) {
            parts.add("replicates from " + graph.endpoint(graph.sourcesOf(server).get(0).source()).name()
                    + ", which is not linked to the primary");
        }
        return String.join("; ", parts);
    }
}
