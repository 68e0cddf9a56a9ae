package dev.sluice.modules.galeramon;

/**
 * What one tick read from one node: its wsrep status and variables, the usual server variables, and its
 * asynchronous replication (a non-Galera server replicating from a Galera node). Immutable.
 *
 * @param reachable         the queries succeeded
 * @param authError         the monitor could not log in
 * @param error             why the node was not reachable; empty when it was
 * @param localState        {@code wsrep_local_state} (4 Synced, 2 Donor/Desynced, 1 Joining …); -1 unknown
 * @param stateComment      {@code wsrep_local_state_comment} up to its first {@code ':'}
 * @param localIndex        {@code wsrep_local_index}; -1 when missing or not a number
 * @param clusterUuid       {@code wsrep_cluster_state_uuid}; empty when unknown
 * @param clusterSize       {@code wsrep_cluster_size} as the node sees it
 * @param clusterStatus     {@code wsrep_cluster_status}: {@code Primary}, {@code non-Primary}, {@code Disconnected}
 * @param ready             {@code wsrep_ready}
 * @param desync            {@code wsrep_desync}
 * @param rejectQueries     {@code wsrep_reject_queries} ({@code NONE}, {@code ALL}, {@code ALL_KILL})
 * @param donorRejectsQueries {@code wsrep_sst_donor_rejects_queries}
 * @param sstMethod         {@code wsrep_sst_method}
 * @param nodeName          {@code wsrep_node_name}
 * @param sstDonor          {@code wsrep_sst_donor} as it is now
 * @param serverId          {@code @@server_id}
 * @param readOnly          {@code @@read_only}
 * @param version           {@code @@version}
 * @param gtidCurrentPos    {@code @@gtid_current_pos} (the binlog position when that is empty, as MaxScale does)
 * @param gtidBinlogPos     {@code @@gtid_binlog_pos}
 * @param masterServerId    {@code Master_Server_Id} of a running replication (SQL thread Yes), else 0
 * @param replicationLag    {@code Seconds_Behind_Master} of that replication, else -1
 */
record GaleraNodeState(boolean reachable, boolean authError, String error, int localState, String stateComment,
                       long localIndex, String clusterUuid, int clusterSize, String clusterStatus, boolean ready,
                       boolean desync, String rejectQueries, boolean donorRejectsQueries, String sstMethod,
                       String nodeName, String sstDonor, long serverId, boolean readOnly, String version,
                       String gtidCurrentPos, String gtidBinlogPos, long masterServerId, long replicationLag) {

    static GaleraNodeState unreachable(String error, boolean authError) {
        return new GaleraNodeState(false, authError, error, -1, "", -1, "", 0, "", false, false, "", false, "", "",
                "", -1, false, "", "", "", 0, -1);
    }
}
