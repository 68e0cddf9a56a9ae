package dev.sluice.modules.readwritesplit;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The parameters of readwritesplit, with MaxScale's names and defaults (24.02), and the immutable snapshot one
 * router instance uses. Every MaxScale parameter is declared so an existing service section loads unchanged;
 * docs/readwritesplit.md lists which ones this version acts on. {@code max_sescmd_history},
 * {@code prune_sescmd_history} and {@code disable_sescmd_history} are generic service parameters (the service
 * spec owns them); they are repeated here only to read them typed.
 */
public record ReadWriteSplitConfig(int maxSlaveConnections, int slaveConnections, Duration maxReplicationLag,
                                   boolean useSqlVariablesInMaster, String slaveSelectionCriteria,
                                   boolean masterAcceptReads, boolean strictMultiStmt, boolean strictSpCalls,
                                   String masterFailureMode, boolean retryFailedReads, boolean lazyConnect,
                                   boolean masterReconnection, int maxSescmdHistory, boolean pruneSescmdHistory,
                                   boolean disableSescmdHistory, String causalReads, Duration causalReadsTimeout,
                                   boolean delayedRetry, Duration delayedRetryTimeout,
                                   TransactionReplayConfig transactionReplay, boolean reusePreparedStatements,
                                   boolean strictTmpTables) {

    /**
     * transaction_replay and its parameters.
     *
     * @param checksum full, result_only or no_insert_id
     */
    public record TransactionReplayConfig(boolean enabled, long maxSize, int attempts, Duration timeout,
                                          boolean retryOnDeadlock, boolean safeCommit, boolean retryOnMismatch,
                                          String checksum, boolean optimistic) {
    }

    public static final Param<Long> MAX_SLAVE_CONNECTIONS = Param.count("max_slave_connections", 255,
            "Most replica connections one session may use; 0 sends everything to the primary.").range(0, 255)
            .modifiable();
    public static final Param<Long> SLAVE_CONNECTIONS = Param.count("slave_connections", 255,
            "Replica connections opened when a session starts (more may be opened later, up to "
                    + "max_slave_connections).").range(0, 255).modifiable();
    public static final Param<Duration> MAX_REPLICATION_LAG = Param.duration("max_replication_lag", Duration.ZERO,
            "Replicas lagging this much or more are not used for reads; 0s disables the check.")
            .alias("max_slave_replication_lag").modifiable();
    public static final Param<String> USE_SQL_VARIABLES_IN = Param.enumeration("use_sql_variables_in", "all",
            List.of("all", "master"), "all: SELECTs that assign user variables go to every connection and reads "
                    + "of user variables may go to replicas; master: statements using user variables go to the "
                    + "primary.").modifiable();
    public static final Param<Boolean> MASTER_RECONNECTION = Param.bool("master_reconnection", true,
            "Allow the session to connect to a primary it did not start with (replaying the session state).")
            .modifiable();
    public static final Param<String> SLAVE_SELECTION_CRITERIA = Param.enumeration("slave_selection_criteria",
            "least_current_operations", List.of("least_current_operations", "adaptive_routing",
                    "least_behind_master", "least_router_connections", "least_global_connections"),
            "How a read picks its replica.").modifiable();
    public static final Param<Boolean> MASTER_ACCEPT_READS = Param.bool("master_accept_reads", false,
            "Let the primary serve reads like a replica.").modifiable();
    public static final Param<Boolean> STRICT_MULTI_STMT = Param.bool("strict_multi_stmt", false,
            "After a multi-statement, route everything of the session to the primary.").modifiable();
    public static final Param<Boolean> STRICT_SP_CALLS = Param.bool("strict_sp_calls", false,
            "After a CALL, route everything of the session to the primary.").modifiable();
    public static final Param<Boolean> STRICT_TMP_TABLES = Param.bool("strict_tmp_tables", true,
            "Forbid reconnecting to a new primary while the session has temporary tables (they exist only on "
                    + "the old one): the statement fails instead.").modifiable();
    public static final Param<String> MASTER_FAILURE_MODE = Param.enumeration("master_failure_mode",
            "fail_on_write", List.of("fail_instantly", "fail_on_write", "error_on_write"),
            "When the primary is lost: close the session at once, on the next write, or answer writes with a "
                    + "read-only error.").modifiable();
    public static final Param<Boolean> RETRY_FAILED_READS = Param.bool("retry_failed_reads", true,
            "Retry an autocommit read elsewhere if its server fails before any of the result reached the client.")
            .modifiable();
    public static final Param<Boolean> DELAYED_RETRY = Param.bool("delayed_retry", false,
            "Wait for a usable target (a primary to come back or be promoted) instead of failing a query at "
                    + "once; a query already sent is never sent again.").modifiable();
    public static final Param<Duration> DELAYED_RETRY_TIMEOUT = Param.duration("delayed_retry_timeout",
            Duration.ofSeconds(10), "How long delayed_retry waits before the query fails.").modifiable();
    public static final Param<Boolean> TRANSACTION_REPLAY = Param.bool("transaction_replay", false,
            "Replay an open transaction on the new primary when the primary is lost, checking that every result "
                    + "the client saw is the same; implies delayed_retry, master_reconnection and "
                    + "master_failure_mode=fail_on_write.").modifiable();
    public static final Param<Long> TRANSACTION_REPLAY_MAX_SIZE = Param.size("transaction_replay_max_size",
            1024L * 1024, "Largest transaction (bytes of statements) that can be replayed.").modifiable();
    public static final Param<Long> TRANSACTION_REPLAY_ATTEMPTS = Param.count("transaction_replay_attempts", 5,
            "Most replay attempts of one transaction before the session is closed.").modifiable();
    public static final Param<Duration> TRANSACTION_REPLAY_TIMEOUT = Param.duration("transaction_replay_timeout",
            Duration.ofSeconds(30), "Time limit of a replay, waiting for a primary included (raises delayed_retry_timeout to match).").modifiable();
    public static final Param<Boolean> TRANSACTION_REPLAY_RETRY_ON_DEADLOCK = Param.bool(
            "transaction_replay_retry_on_deadlock", false, "Replay a transaction whose statement got a deadlock error (1213) instead of returning the error.")
            .modifiable();
    public static final Param<Boolean> TRANSACTION_REPLAY_SAFE_COMMIT = Param.bool(
            "transaction_replay_safe_commit", true, "Do not replay a transaction whose COMMIT was interrupted (its outcome is unknown): the client gets an "
                    + "error and the session closes.")
            .modifiable();
    public static final Param<Boolean> TRANSACTION_REPLAY_RETRY_ON_MISMATCH = Param.bool(
            "transaction_replay_retry_on_mismatch", false, "Retry replays that end in a checksum mismatch.")
            .modifiable();
    public static final Param<String> TRANSACTION_REPLAY_CHECKSUM = Param.enumeration(
            "transaction_replay_checksum", "full", List.of("full", "result_only", "no_insert_id"),
            "What the replay checksum covers.").modifiable();
    public static final Param<Boolean> OPTIMISTIC_TRX = Param.bool("optimistic_trx", false,
            "Run read-write transactions on a replica until their first write, then replay them on the primary "
                    + "(implies transaction_replay).")
            .modifiable();
    public static final Param<String> CAUSAL_READS = Param.enumeration("causal_reads", "none",
            List.of("none", "local", "global", "fast", "fast_global", "universal", "fast_universal"),
            "Make reads on replicas see earlier writes (GTID waits).")
            .valueAliases(Map.of("false", "none", "off", "none", "true", "local", "on", "local")).modifiable();
    public static final Param<Duration> CAUSAL_READS_TIMEOUT = Param.duration("causal_reads_timeout",
            Duration.ofSeconds(10), "Longest wait of a causal read before it is retried on the primary.")
            .modifiable();
    public static final Param<Boolean> LAZY_CONNECT = Param.bool("lazy_connect", false,
            "Open replica connections when first needed instead of at session start.").modifiable();
    public static final Param<Boolean> REUSE_PREPARED_STATEMENTS = Param.bool("reuse_prepared_statements", false,
            "Reuse identical prepared statements inside a session: a COM_STMT_PREPARE of SQL the session has "
            + "prepared is answered by Sluice with the existing statement (COM_STMT_CLOSE is ignored), and so is a "
            + "text PREPARE identical to the one that prepared that name last.")
            .modifiable();
    // generic service parameters, declared by the service spec too (ParamSpec.plus keeps the service's)
    public static final Param<Long> MAX_SESCMD_HISTORY = Param.count("max_sescmd_history", 50,
            "Session commands remembered to replay on new backend connections.").modifiable();
    public static final Param<Boolean> PRUNE_SESCMD_HISTORY = Param.bool("prune_sescmd_history", true,
            "Drop the oldest session commands when the history is full instead of disabling it.").modifiable();
    public static final Param<Boolean> DISABLE_SESCMD_HISTORY = Param.bool("disable_sescmd_history", false,
            "Do not keep a session command history (no connections opened after the first session command).")
            .modifiable();

    public static final ParamSpec SPEC = ParamSpec.of(MAX_SLAVE_CONNECTIONS, SLAVE_CONNECTIONS, MAX_REPLICATION_LAG,
            USE_SQL_VARIABLES_IN, MASTER_RECONNECTION, SLAVE_SELECTION_CRITERIA, MASTER_ACCEPT_READS,
            STRICT_MULTI_STMT, STRICT_SP_CALLS, STRICT_TMP_TABLES, MASTER_FAILURE_MODE, RETRY_FAILED_READS,
            DELAYED_RETRY, DELAYED_RETRY_TIMEOUT, TRANSACTION_REPLAY, TRANSACTION_REPLAY_MAX_SIZE,
            TRANSACTION_REPLAY_ATTEMPTS, TRANSACTION_REPLAY_TIMEOUT, TRANSACTION_REPLAY_RETRY_ON_DEADLOCK,
            TRANSACTION_REPLAY_SAFE_COMMIT, TRANSACTION_REPLAY_RETRY_ON_MISMATCH, TRANSACTION_REPLAY_CHECKSUM,
            OPTIMISTIC_TRX, CAUSAL_READS, CAUSAL_READS_TIMEOUT, LAZY_CONNECT, REUSE_PREPARED_STATEMENTS,
            MAX_SESCMD_HISTORY, PRUNE_SESCMD_HISTORY, DISABLE_SESCMD_HISTORY);

    /** The defaults, for tests. */
    public static final ReadWriteSplitConfig DEFAULTS = from(ParamValues.empty());

    /**
     * The typed snapshot. As in MaxScale, transaction_replay (and optimistic_trx, which implies it) turns on
     * delayed_retry and master_reconnection, sets master_failure_mode=fail_on_write, and raises
     * delayed_retry_timeout to transaction_replay_timeout.
     */
    public static ReadWriteSplitConfig from(ParamValues values) {
        boolean optimistic = values.get(OPTIMISTIC_TRX);
        boolean replay = values.get(TRANSACTION_REPLAY) || optimistic;
        Duration replayTimeout = values.get(TRANSACTION_REPLAY_TIMEOUT);
        Duration delayedTimeout = values.get(DELAYED_RETRY_TIMEOUT);
        if (replay && replayTimeout.compareTo(delayedTimeout) > 0) {
            delayedTimeout = replayTimeout;
        }
        TransactionReplayConfig replayConfig = new TransactionReplayConfig(replay,
                values.get(TRANSACTION_REPLAY_MAX_SIZE),
                (int) Math.min(Integer.MAX_VALUE, values.get(TRANSACTION_REPLAY_ATTEMPTS)), replayTimeout,
                values.get(TRANSACTION_REPLAY_RETRY_ON_DEADLOCK), values.get(TRANSACTION_REPLAY_SAFE_COMMIT),
                values.get(TRANSACTION_REPLAY_RETRY_ON_MISMATCH), values.get(TRANSACTION_REPLAY_CHECKSUM),
                optimistic);
        return new ReadWriteSplitConfig(values.get(MAX_SLAVE_CONNECTIONS).intValue(),
                values.get(SLAVE_CONNECTIONS).intValue(), values.get(MAX_REPLICATION_LAG),
                values.get(USE_SQL_VARIABLES_IN).equals("master"), values.get(SLAVE_SELECTION_CRITERIA),
                values.get(MASTER_ACCEPT_READS), values.get(STRICT_MULTI_STMT), values.get(STRICT_SP_CALLS),
                replay ? "fail_on_write" : values.get(MASTER_FAILURE_MODE), values.get(RETRY_FAILED_READS),
                values.get(LAZY_CONNECT), replay || values.get(MASTER_RECONNECTION),
                (int) Math.min(Integer.MAX_VALUE, values.get(MAX_SESCMD_HISTORY)),
                values.get(PRUNE_SESCMD_HISTORY), values.get(DISABLE_SESCMD_HISTORY), values.get(CAUSAL_READS),
                values.get(CAUSAL_READS_TIMEOUT), replay || values.get(DELAYED_RETRY), delayedTimeout, replayConfig,
                values.get(REUSE_PREPARED_STATEMENTS), values.get(STRICT_TMP_TABLES));
    }

    boolean failInstantly() {
        return masterFailureMode.equals("fail_instantly");
    }

    boolean errorOnWrite() {
        return masterFailureMode.equals("error_on_write");
    }
}
