package dev.sluice.modules.mariadbmon;

import java.util.List;

/**
 * What one tick learned of one server. Immutable; made by {@link ServerProbe} on the monitor thread, or by
 * hand in tests of the pure topology logic.
 *
 * @param reachable   the monitor connected and ran its queries
 * @param authError   the server answered but refused the monitor's credentials
 * @param error       why the server was not reachable, empty when it was
 * @param connections every replication connection, in {@code SHOW ALL SLAVES STATUS} order
 */
public record ServerSnapshot(boolean reachable, boolean authError, String error, long serverId,
                             boolean readOnly, String version, String gtidBinlogPos, String gtidCurrentPos,
                             String gtidSlavePos, List<ReplicationConnection> connections) {

    public ServerSnapshot {
        connections = List.copyOf(connections);
    }

    public static ServerSnapshot unreachable(String error, boolean authError) {
        return new ServerSnapshot(false, authError, error, -1, false, "", "", "", "", List.of());
    }

    /** A reachable server with the given replication connections; gtids and version left empty. */
    public static ServerSnapshot running(long serverId, boolean readOnly, List<ReplicationConnection> connections) {
        return new ServerSnapshot(true, false, "", serverId, readOnly, "", "", "", "", connections);
    }
}
