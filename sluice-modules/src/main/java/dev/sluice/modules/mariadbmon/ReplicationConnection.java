package dev.sluice.modules.mariadbmon;

/**
 * One replication connection of a server, one row of {@code SHOW ALL SLAVES STATUS}. Immutable.
 *
 * @param name                {@code Connection_name} (empty for the default connection)
 * @param masterHost          {@code Master_Host} as configured on the replica
 * @param masterPort          {@code Master_Port}
 * @param masterServerId      {@code Master_Server_Id}, 0 when the IO thread never connected
 * @param ioThread            {@code Slave_IO_Running}
 * @param sqlRunning          {@code Slave_SQL_Running = Yes}
 * @param secondsBehindMaster {@code Seconds_Behind_Master}, or -1 when NULL
 * @param gtidIoPos           {@code Gtid_IO_Pos}
 * @param lastIoError         {@code Last_IO_Error}, empty when none
 * @param lastSqlError        {@code Last_SQL_Error}, empty when none
 * @param usingGtid           {@code Using_Gtid}: {@code No}, {@code Current_Pos} or {@code Slave_Pos}
 * @param receivedHeartbeats  {@code Slave_received_heartbeats}, or -1 when unknown
 */
public record ReplicationConnection(String name, String masterHost, int masterPort, long masterServerId,
                                    IoThread ioThread, boolean sqlRunning, long secondsBehindMaster,
                                    String gtidIoPos, String lastIoError, String lastSqlError, String usingGtid,
                                    long receivedHeartbeats) {

    /** A connection whose heartbeat count is not known. */
    public ReplicationConnection(String name, String masterHost, int masterPort, long masterServerId,
                                 IoThread ioThread, boolean sqlRunning, long secondsBehindMaster, String gtidIoPos,
                                 String lastIoError, String lastSqlError, String usingGtid) {
        this(name, masterHost, masterPort, masterServerId, ioThread, sqlRunning, secondsBehindMaster, gtidIoPos,
                lastIoError, lastSqlError, usingGtid, -1);
    }

    /** A connection that replicates with GTID ({@code Using_Gtid=Current_Pos}). */
    public ReplicationConnection(String name, String masterHost, int masterPort, long masterServerId,
                                 IoThread ioThread, boolean sqlRunning, long secondsBehindMaster, String gtidIoPos,
                                 String lastIoError, String lastSqlError) {
        this(name, masterHost, masterPort, masterServerId, ioThread, sqlRunning, secondsBehindMaster, gtidIoPos,
                lastIoError, lastSqlError, "Current_Pos", -1);
    }

    /** Whether the connection uses GTID positions ({@code Using_Gtid} is not {@code No}). */
    public boolean usesGtid() {
        return !"No".equalsIgnoreCase(usingGtid);
    }

    /** The state of the replica's IO thread as the server words it. */
    public enum IoThread {
        YES, CONNECTING, NO;

        static IoThread parse(String value) {
            if (value == null) {
                return NO;
            }
            return switch (value.trim()) {
                case "Yes" -> YES;
                case "Connecting", "Preparing" -> CONNECTING;
                default -> NO;
            };
        }
    }

    /**
     * Whether this connection makes its server a replica of its source: the SQL thread applies events and
     * the IO thread receives them or is trying to reconnect.
     */
    public boolean isReplicating() {
        return sqlRunning && (ioThread == IoThread.YES || ioThread == IoThread.CONNECTING);
    }

    /** {@code host:port} of the source. */
    public String source() {
        return masterHost + ":" + masterPort;
    }
}
