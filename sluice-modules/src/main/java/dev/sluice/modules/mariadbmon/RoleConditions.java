package dev.sluice.modules.mariadbmon;

import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code master_conditions} and {@code slave_conditions}: extra requirements a server must meet to keep the
 * {@code Master} or {@code Slave} role that {@link StatusAssigner} gave it. Pure; applied to the statuses of a
 * tick before they are published. A server that fails one keeps running but loses the role, and its detail
 * names the condition.
 *
 * <ul>
 *   <li>master: {@code connecting_slave} — a direct replica's IO thread is connected or connecting;
 *       {@code connected_slave} — connected; {@code running_slave} — a direct replica runs and replicates
 *       (IO connected or connecting, SQL running). ({@code primary_monitor_master} is applied by the monitor,
 *       {@code disk_space_ok} is not checked.)</li>
 *   <li>slave: {@code running_master} — the primary runs; {@code writable_master} — the primary has the
 *       Master role; {@code linked_master} — every link from the replica up to the primary has its IO thread
 *       connected and its SQL thread running, and the primary runs; {@code primary_monitor_master} — with
 *       cooperative monitoring, the primary is the one the primary monitor marks.</li>
 * </ul>
 */
final class RoleConditions {

    private RoleConditions() {
    }

    static List<ServerStatus> apply(List<ServerStatus> statuses, ReplicationGraph graph, int primary,
                                    List<String> masterConditions, List<String> slaveConditions,
                                    boolean primaryMonitorAgrees) {
        List<ServerStatus> out = new ArrayList<>(statuses);
        if (primary < 0) {
            return out;
        }
        if (out.get(primary).isMaster()) {
            String failed = failedMasterCondition(graph, primary, masterConditions);
            if (!failed.isEmpty()) {
                out.set(primary, without(out.get(primary), StatusBit.MASTER, "master_conditions: " + failed));
            }
        }
        Map<Integer, ReplicationGraph.Edge> reachedThrough = new HashMap<>();
        for (ReplicationGraph.Edge edge : graph.runningReplicasBelow(primary)) {
            reachedThrough.putIfAbsent(edge.replica(), edge);
        }
        for (int i = 0; i < out.size(); i++) {
            if (!out.get(i).isSlave()) {
                continue;
            }
            String failed = failedSlaveCondition(graph, primary, i, out.get(primary), reachedThrough,
                    slaveConditions, primaryMonitorAgrees);
            if (!failed.isEmpty()) {
                out.set(i, without(out.get(i), StatusBit.SLAVE, "slave_conditions: " + failed));
            }
        }
        return out;
    }

    private static String failedMasterCondition(ReplicationGraph graph, int primary, List<String> conditions) {
        boolean connecting = false;
        boolean connected = false;
        boolean running = false;
        for (ReplicationGraph.Edge edge : graph.replicasOf(primary)) {
            ReplicationConnection c = edge.connection();
            boolean ioUp = c.ioThread() == ReplicationConnection.IoThread.YES;
            connecting |= ioUp || c.ioThread() == ReplicationConnection.IoThread.CONNECTING;
            connected |= ioUp;
            running |= graph.isRunning(edge.replica()) && c.isReplicating();
        }
        if (conditions.contains("connecting_slave") && !connecting) {
            return "no replica is connected or connecting (connecting_slave)";
        }
        if (conditions.contains("connected_slave") && !connected) {
            return "no replica is connected (connected_slave)";
        }
        if (conditions.contains("running_slave") && !running) {
            return "no replica is running and replicating (running_slave)";
        }
        return "";
    }

    private static String failedSlaveCondition(ReplicationGraph graph, int primary, int replica,
                                               ServerStatus primaryStatus,
                                               Map<Integer, ReplicationGraph.Edge> reachedThrough,
                                               List<String> conditions, boolean primaryMonitorAgrees) {
        if (conditions.contains("running_master") && !graph.isRunning(primary)) {
            return "the primary is down (running_master)";
        }
        if (conditions.contains("writable_master") && !primaryStatus.isMaster()) {
            return "the primary is not a writable Master (writable_master)";
        }
        if (conditions.contains("linked_master")) {
            if (!graph.isRunning(primary)) {
                return "the primary is down (linked_master)";
            }
            int at = replica;
            for (int hops = 0; at != primary && hops < graph.size(); hops++) {
                ReplicationGraph.Edge edge = reachedThrough.get(at);
                if (edge == null || edge.connection().ioThread() != ReplicationConnection.IoThread.YES
                        || !edge.connection().sqlRunning()) {
                    return "not linked to the primary: replication from "
                            + graph.endpoint(edge == null ? primary : edge.source()).name()
                            + " is not connected and running (linked_master)";
                }
                at = edge.source();
            }
        }
        if (conditions.contains("primary_monitor_master") && !primaryMonitorAgrees) {
            return "the primary monitor marks another primary (primary_monitor_master)";
        }
        return "";
    }

    private static ServerStatus without(ServerStatus s, StatusBit bit, String why) {
        String detail = s.detail().isEmpty() ? why : why + "; " + s.detail();
        return new ServerStatus(s.bits() & ~bit.mask(), s.replicationLag(), s.serverId(), s.readOnly(),
                s.gtidBinlogPos(), s.gtidCurrentPos(), s.version(), detail);
    }
}
