package dev.sluice.modules.mariadbmon;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import java.time.Duration;
import java.util.List;

/**
 * The parameters of {@code mariadbmon}, with MaxScale's names and defaults, and the immutable snapshot the
 * monitor thread reads.
 *
 * <p>{@link #SPEC} holds the module's own parameters. All of them are declared so that a MaxScale
 * configuration using them loads unchanged. Acted on: {@code failcount}, {@code assume_unique_hostnames},
 * {@code auto_failover}, {@code auto_rejoin}, {@code verify_master_failure} with {@code master_failure_timeout}
 * ({@link PrimaryFailureCheck}), {@code servers_no_promotion},
 * {@code failover_timeout}, {@code switchover_timeout}, {@code replication_user}, {@code replication_password},
 * {@code replication_master_ssl}, {@code replication_custom_options}, {@code promotion_sql_file},
 * {@code demotion_sql_file}, {@code handle_events} ({@link ClusterOperations}); {@code master_conditions},
 * {@code slave_conditions} ({@link RoleConditions}); {@code enforce_read_only_slaves},
 * {@code enforce_read_only_servers}, {@code enforce_writable_master}; {@code cooperative_monitoring_locks}
 * ({@link CooperativeLocks}); {@code enforce_simple_topology}; {@code script_max_replication_lag}
 * ({@link MonitorScript#lagEvent}). Disk space: {@link DiskSpace}. The write test: {@link WriteTest}. Not yet: the
 * backup operations.
 *
 * <p>The common monitor parameters ({@code monitor_interval}, {@code user}, {@code password},
 * {@code backend_connect_timeout}, {@code backend_read_timeout}) are read through
 * {@link dev.sluice.modules.monitor.MonitorSettings}.
 */
public final class MariaDbMonitorConfig {

    // a common monitor parameter, declared by the runtime (MonitorParams); read here by name
    private static final Param<Long> BACKEND_CONNECT_ATTEMPTS = Param.count("backend_connect_attempts", 1,
            "Connection attempts per server and round.");

    // ---- mariadbmon's own parameters ----
    public static final Param<Long> FAILCOUNT = Param.count("failcount", 5,
            "Ticks a primary must be down before it is considered failed.").range(1, Long.MAX_VALUE).modifiable();
    public static final Param<String> AUTO_FAILOVER = Param.enumeration("auto_failover", "false",
            List.of("false", "true", "safe", "no", "yes", "off", "on", "0", "1"),
            "Promote a replica automatically when the primary fails; safe: not when it would clearly lose"
                    + " transactions.").modifiable();
    public static final Param<Boolean> AUTO_REJOIN = Param.bool("auto_rejoin", false,
            "Redirect standalone or wrongly replicating servers to the primary.").modifiable();
    public static final Param<Boolean> VERIFY_MASTER_FAILURE = Param.bool("verify_master_failure", true,
            "Check through the replicas that the primary really failed before failover.").modifiable();
    public static final Param<Duration> MASTER_FAILURE_TIMEOUT = Param.duration("master_failure_timeout",
            Duration.ofSeconds(10), "How long replicas must have heard nothing of the primary.").modifiable();
    public static final Param<Boolean> ENFORCE_READ_ONLY_SLAVES = Param.bool("enforce_read_only_slaves", false,
            "Turn read_only on for replicas.").modifiable();
    public static final Param<Boolean> ENFORCE_READ_ONLY_SERVERS = Param.bool("enforce_read_only_servers", false,
            "Turn read_only on for every server but the primary.").modifiable();
    public static final Param<Boolean> ENFORCE_WRITABLE_MASTER = Param.bool("enforce_writable_master", false,
            "Turn read_only off for the primary.").modifiable();
    public static final Param<Boolean> ENFORCE_SIMPLE_TOPOLOGY = Param.bool("enforce_simple_topology", false,
            "Keep the cluster a single primary with direct replicas.").modifiable();
    public static final Param<List<String>> MASTER_CONDITIONS = Param.enumList("master_conditions",
            List.of("primary_monitor_master", "disk_space_ok"),
            List.of("none", "connecting_slave", "connected_slave", "running_slave", "primary_monitor_master",
                    "disk_space_ok"),
            "Extra conditions a primary must meet.").modifiable();
    public static final Param<List<String>> SLAVE_CONDITIONS = Param.enumList("slave_conditions", List.of("none"),
            List.of("none", "linked_master", "running_master", "writable_master", "primary_monitor_master",
                    "disk_space_ok"),
            "Extra conditions a replica must meet.").modifiable();
    public static final Param<List<String>> SERVERS_NO_PROMOTION = Param.serverList("servers_no_promotion",
            "Servers never promoted nor selected as primary.").modifiable();
    public static final Param<Boolean> ASSUME_UNIQUE_HOSTNAMES = Param.bool("assume_unique_hostnames", true,
            "Match replication sources by Master_Host:Master_Port only; false adds Master_Server_Id.")
            .modifiable();
    public static final Param<Duration> FAILOVER_TIMEOUT = Param.duration("failover_timeout",
            Duration.ofSeconds(90), "Time limit of a failover.").modifiable();
    public static final Param<Duration> SWITCHOVER_TIMEOUT = Param.duration("switchover_timeout",
            Duration.ofSeconds(90), "Time limit of a switchover or rejoin.").modifiable();
    public static final Param<String> REPLICATION_USER = Param.string("replication_user", "",
            "User for CHANGE MASTER (default: the monitor user).").modifiable();
    public static final Param<String> REPLICATION_PASSWORD = Param.password("replication_password", "",
            "Password for CHANGE MASTER (default: the monitor password).").modifiable();
    public static final Param<Boolean> REPLICATION_MASTER_SSL = Param.bool("replication_master_ssl", false,
            "Add MASTER_SSL=1 to CHANGE MASTER.").modifiable();
    public static final Param<String> REPLICATION_CUSTOM_OPTIONS = Param.string("replication_custom_options", "",
            "Extra options appended to CHANGE MASTER.").modifiable();
    public static final Param<String> PROMOTION_SQL_FILE = Param.path("promotion_sql_file", "",
            "SQL run on a server being promoted.").modifiable();
    public static final Param<String> DEMOTION_SQL_FILE = Param.path("demotion_sql_file", "",
            "SQL run on a server being demoted.").modifiable();
    public static final Param<Boolean> HANDLE_EVENTS = Param.bool("handle_events", true,
            "Enable and disable scheduled events on promotion and demotion.").modifiable();
    public static final Param<String> COOPERATIVE_MONITORING_LOCKS = Param.enumeration(
            "cooperative_monitoring_locks", "none", List.of("none", "majority_of_all", "majority_of_running"),
            "Coordinate several proxies through GET_LOCK on the servers.").modifiable();
    public static final Param<Long> SCRIPT_MAX_REPLICATION_LAG = Param.integer("script_max_replication_lag", -1,
            "Replication lag (s) above which the script runs with rlag_above, and rlag_below when back; -1 = off.")
            .modifiable();
    public static final Param<Boolean> MAINTENANCE_ON_LOW_DISK_SPACE = Param.bool("maintenance_on_low_disk_space",
            true, "A replica whose disk space is exhausted loses the Slave role: routers stop using it.").modifiable();
    public static final Param<Boolean> SWITCHOVER_ON_LOW_DISK_SPACE = Param.bool("switchover_on_low_disk_space",
            false, "Switch over away from a low-disk primary.").modifiable();
    public static final Param<Duration> WRITE_TEST_INTERVAL = Param.duration("write_test_interval", Duration.ZERO,
            "Insert a row on the primary when its gtid_binlog_pos has not moved for this long; 0s = off.")
            .modifiable();
    public static final Param<String> WRITE_TEST_TABLE = Param.string("write_test_table", "mxs.maxscale_write_test",
            "Table (database.table) of the write test; created when missing.").check(v -> {
                if (!v.matches("`?[A-Za-z0-9_$]+`?\\.`?[A-Za-z0-9_$]+`?")) {
                    throw new dev.sluice.api.config.ParamException("'" + v
                            + "' is not a qualified table name (expected: database.table)");
                }
            }).modifiable();
    public static final Param<String> WRITE_TEST_FAIL_ACTION = Param.enumeration("write_test_fail_action", "log",
            List.of("log", "failover"),
            "What a failed write test does: log it, or fail over after failcount failed tests.").modifiable();
    public static final Param<String> SSH_USER = Param.string("ssh_user", "", "SSH user for backup operations.")
            .notSupported("backup operations (rebuild-server, create-backup) are not implemented");
    public static final Param<String> SSH_KEYFILE = Param.path("ssh_keyfile", "", "SSH key for backup operations.")
            .notSupported("backup operations (rebuild-server, create-backup) are not implemented");
    public static final Param<Boolean> SSH_CHECK_HOST_KEY = Param.bool("ssh_check_host_key", true,
            "Check the SSH host key.")
            .notSupported("backup operations (rebuild-server, create-backup) are not implemented");
    public static final Param<Duration> SSH_TIMEOUT = Param.duration("ssh_timeout", Duration.ofSeconds(10),
            "SSH timeout.")
            .notSupported("backup operations (rebuild-server, create-backup) are not implemented");
    public static final Param<Long> SSH_PORT = Param.count("ssh_port", 22, "SSH port.")
            .notSupported("backup operations (rebuild-server, create-backup) are not implemented");
    public static final Param<Long> REBUILD_PORT = Param.count("rebuild_port", 4444,
            "Port of the backup data stream.")
            .notSupported("backup operations (rebuild-server, create-backup) are not implemented");
    public static final Param<Long> MARIABACKUP_USE_MEMORY = Param.size("mariabackup_use_memory", 1L << 30,
            "--use-memory of mariabackup prepare.")
            .notSupported("backup operations (rebuild-server, create-backup) are not implemented");
    public static final Param<Long> MARIABACKUP_PARALLEL = Param.count("mariabackup_parallel", 1,
            "--parallel of mariabackup.")
            .notSupported("backup operations (rebuild-server, create-backup) are not implemented");
    public static final Param<String> BACKUP_STORAGE_ADDRESS = Param.string("backup_storage_address", "",
            "Host of the backup storage.")
            .notSupported("backup operations (rebuild-server, create-backup) are not implemented");
    public static final Param<String> BACKUP_STORAGE_PATH = Param.path("backup_storage_path", "",
            "Directory of the backup storage.")
            .notSupported("backup operations (rebuild-server, create-backup) are not implemented");
    public static final Param<Long> CS_ADMIN_PORT = Param.count("cs_admin_port", 8640, "ColumnStore CMAPI port.")
            .notSupported("ColumnStore operations are not implemented");
    public static final Param<String> CS_ADMIN_API_KEY = Param.password("cs_admin_api_key", "",
            "ColumnStore CMAPI key.")
            .notSupported("ColumnStore operations are not implemented");
    public static final Param<String> CS_ADMIN_BASE_PATH = Param.string("cs_admin_base_path", "/cmapi/0.4.0",
            "ColumnStore CMAPI base path.")
            .notSupported("ColumnStore operations are not implemented");

    public static final ParamSpec SPEC = ParamSpec.of(FAILCOUNT, AUTO_FAILOVER, AUTO_REJOIN, VERIFY_MASTER_FAILURE,
            MASTER_FAILURE_TIMEOUT, ENFORCE_READ_ONLY_SLAVES, ENFORCE_READ_ONLY_SERVERS, ENFORCE_WRITABLE_MASTER,
            ENFORCE_SIMPLE_TOPOLOGY, MASTER_CONDITIONS, SLAVE_CONDITIONS, SERVERS_NO_PROMOTION,
            ASSUME_UNIQUE_HOSTNAMES, FAILOVER_TIMEOUT, SWITCHOVER_TIMEOUT, REPLICATION_USER, REPLICATION_PASSWORD,
            REPLICATION_MASTER_SSL, REPLICATION_CUSTOM_OPTIONS, PROMOTION_SQL_FILE, DEMOTION_SQL_FILE,
            HANDLE_EVENTS, COOPERATIVE_MONITORING_LOCKS, SCRIPT_MAX_REPLICATION_LAG, MAINTENANCE_ON_LOW_DISK_SPACE,
            SWITCHOVER_ON_LOW_DISK_SPACE, WRITE_TEST_INTERVAL, WRITE_TEST_TABLE, WRITE_TEST_FAIL_ACTION, SSH_USER, SSH_KEYFILE, SSH_CHECK_HOST_KEY, SSH_TIMEOUT, SSH_PORT,
            REBUILD_PORT, MARIABACKUP_USE_MEMORY, MARIABACKUP_PARALLEL, BACKUP_STORAGE_ADDRESS,
            BACKUP_STORAGE_PATH, CS_ADMIN_PORT, CS_ADMIN_API_KEY, CS_ADMIN_BASE_PATH);

    private final Duration monitorInterval;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final int connectAttempts;
    private final String user;
    private final String password;
    private final int failcount;
    private final boolean assumeUniqueHostnames;
    private final boolean autoFailover;
    private final boolean autoFailoverSafe;
    private final boolean autoRejoin;
    private final boolean verifyMasterFailure;
    private final Duration masterFailureTimeout;
    private final List<String> serversNoPromotion;
    private final Duration failoverTimeout;
    private final Duration switchoverTimeout;
    private final String replicationUser;
    private final String replicationPassword;
    private final boolean replicationMasterSsl;
    private final String replicationCustomOptions;
    private final CooperativeLocks.Mode cooperativeLocks;
    private final String promotionSqlFile;
    private final String demotionSqlFile;
    private final boolean enforceReadOnlySlaves;
    private final boolean enforceWritableMaster;
    private final boolean handleEvents;
    private final boolean enforceSimpleTopology;
    private final List<String> masterConditions;
    private final List<String> slaveConditions;
    private final java.util.Map<String, Integer> diskSpaceThreshold;
    private final Duration diskSpaceCheckInterval;
    private final boolean maintenanceOnLowDiskSpace;
    private final boolean switchoverOnLowDiskSpace;
    private final Duration writeTestInterval;
    private final long scriptMaxReplicationLag;
    private final String writeTestTable;
    private final boolean writeTestFailover;

    private MariaDbMonitorConfig(ParamValues values) {
        dev.sluice.modules.monitor.MonitorSettings common = dev.sluice.modules.monitor.MonitorSettings.from(values);
        this.monitorInterval = common.interval();
        this.connectTimeout = common.connectTimeout();
        this.readTimeout = common.readTimeout();
        this.connectAttempts = (int) Math.max(1, Math.min(100, values.get(BACKEND_CONNECT_ATTEMPTS)));
        this.user = common.user();
        this.password = common.password();
        this.failcount = (int) Math.min(Integer.MAX_VALUE, values.get(FAILCOUNT));
        // enforce_simple_topology switches these on whatever their own values
        this.enforceSimpleTopology = values.get(ENFORCE_SIMPLE_TOPOLOGY);
        this.assumeUniqueHostnames = enforceSimpleTopology || values.get(ASSUME_UNIQUE_HOSTNAMES);
        this.autoFailover = enforceSimpleTopology
                || List.of("true", "safe", "yes", "on", "1").contains(values.get(AUTO_FAILOVER));
        this.autoFailoverSafe = values.get(AUTO_FAILOVER).equals("safe");
        this.autoRejoin = enforceSimpleTopology || values.get(AUTO_REJOIN);
        this.verifyMasterFailure = values.get(VERIFY_MASTER_FAILURE);
        this.masterFailureTimeout = values.get(MASTER_FAILURE_TIMEOUT);
        this.serversNoPromotion = List.copyOf(values.get(SERVERS_NO_PROMOTION));
        this.failoverTimeout = values.get(FAILOVER_TIMEOUT);
        this.switchoverTimeout = values.get(SWITCHOVER_TIMEOUT);
        String replUser = values.get(REPLICATION_USER);
        this.replicationUser = replUser.isEmpty() ? user : replUser;
        this.replicationPassword = replUser.isEmpty() ? password : values.get(REPLICATION_PASSWORD);
        this.replicationMasterSsl = values.get(REPLICATION_MASTER_SSL);
        this.replicationCustomOptions = values.get(REPLICATION_CUSTOM_OPTIONS);
        this.cooperativeLocks = CooperativeLocks.Mode.parse(values.get(COOPERATIVE_MONITORING_LOCKS));
        this.masterConditions = List.copyOf(values.get(MASTER_CONDITIONS));
        this.slaveConditions = List.copyOf(values.get(SLAVE_CONDITIONS));
        this.promotionSqlFile = values.get(PROMOTION_SQL_FILE);
        this.demotionSqlFile = values.get(DEMOTION_SQL_FILE);
        this.enforceReadOnlySlaves = values.get(ENFORCE_READ_ONLY_SLAVES) || values.get(ENFORCE_READ_ONLY_SERVERS);
        this.enforceWritableMaster = values.get(ENFORCE_WRITABLE_MASTER);
        this.handleEvents = values.get(HANDLE_EVENTS);
        this.diskSpaceThreshold = java.util.Map.copyOf(DiskSpace.parse("disk_space_threshold",
                DiskSpace.threshold(values)));
        this.diskSpaceCheckInterval = DiskSpace.interval(values);
        this.maintenanceOnLowDiskSpace = values.get(MAINTENANCE_ON_LOW_DISK_SPACE);
        this.switchoverOnLowDiskSpace = values.get(SWITCHOVER_ON_LOW_DISK_SPACE);
        this.writeTestInterval = values.get(WRITE_TEST_INTERVAL);
        this.scriptMaxReplicationLag = values.get(SCRIPT_MAX_REPLICATION_LAG);
        this.writeTestTable = values.get(WRITE_TEST_TABLE);
        this.writeTestFailover = values.get(WRITE_TEST_FAIL_ACTION).equals("failover");
    }

    /** {@code disk_space_threshold} of the monitor: path (or {@code *}) to percent; empty when not set. */
    public java.util.Map<String, Integer> diskSpaceThreshold() {
        return diskSpaceThreshold;
    }

    /** {@code disk_space_check_interval}; zero: disk space is not checked. */
    public Duration diskSpaceCheckInterval() {
        return diskSpaceCheckInterval;
    }

    public boolean maintenanceOnLowDiskSpace() {
        return maintenanceOnLowDiskSpace;
    }

    public boolean switchoverOnLowDiskSpace() {
        return switchoverOnLowDiskSpace;
    }

    /** {@code script_max_replication_lag} in seconds; negative: off. */
    public long scriptMaxReplicationLag() {
        return scriptMaxReplicationLag;
    }

    /** {@code write_test_interval}; zero: no write test. */
    public Duration writeTestInterval() {
        return writeTestInterval;
    }

    /** {@code write_test_table}, qualified. */
    public String writeTestTable() {
        return writeTestTable;
    }

    /** {@code write_test_fail_action=failover}. */
    public boolean writeTestFailover() {
        return writeTestFailover;
    }

    public boolean autoFailover() {
        return autoFailover;
    }

    /** {@code auto_failover=safe}: automatic failovers are {@code failover-safe}. */
    public boolean autoFailoverSafe() {
        return autoFailoverSafe;
    }

    public boolean autoRejoin() {
        return autoRejoin;
    }

    public boolean verifyMasterFailure() {
        return verifyMasterFailure;
    }

    public Duration masterFailureTimeout() {
        return masterFailureTimeout;
    }

    public List<String> serversNoPromotion() {
        return serversNoPromotion;
    }

    public Duration failoverTimeout() {
        return failoverTimeout;
    }

    public Duration switchoverTimeout() {
        return switchoverTimeout;
    }

    /** {@code replication_user}, or the monitor user when it is empty. */
    public String replicationUser() {
        return replicationUser;
    }

    /** {@code replication_password}, or the monitor password when {@code replication_user} is empty. */
    public String replicationPassword() {
        return replicationPassword;
    }

    public boolean replicationMasterSsl() {
        return replicationMasterSsl;
    }

    public String replicationCustomOptions() {
        return replicationCustomOptions;
    }

    /** {@code cooperative_monitoring_locks}. */
    CooperativeLocks.Mode cooperativeLocks() {
        return cooperativeLocks;
    }

    /** {@code promotion_sql_file}; empty when unset. */
    public String promotionSqlFile() {
        return promotionSqlFile;
    }

    /** {@code demotion_sql_file}; empty when unset. */
    public String demotionSqlFile() {
        return demotionSqlFile;
    }

    /** {@code enforce_read_only_slaves} (or {@code enforce_read_only_servers}). */
    public boolean enforceReadOnlySlaves() {
        return enforceReadOnlySlaves;
    }

    /** {@code enforce_simple_topology}. */
    public boolean enforceSimpleTopology() {
        return enforceSimpleTopology;
    }

    /** {@code handle_events}. */
    public boolean handleEvents() {
        return handleEvents;
    }

    /** {@code enforce_writable_master}. */
    public boolean enforceWritableMaster() {
        return enforceWritableMaster;
    }

    /** {@code slave_conditions}. */
    public List<String> slaveConditions() {
        return slaveConditions;
    }

    /** {@code master_conditions}. */
    public List<String> masterConditions() {
        return masterConditions;
    }

    /** The snapshot of the values the monitor acts on. */
    public static MariaDbMonitorConfig from(ParamValues values) {
        return new MariaDbMonitorConfig(values);
    }

    public Duration monitorInterval() {
        return monitorInterval;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** {@code backend_connect_attempts}: connection attempts per server and round before it counts as down. */
    public int connectAttempts() {
        return connectAttempts;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public int failcount() {
        return failcount;
    }

    public boolean assumeUniqueHostnames() {
        return assumeUniqueHostnames;
    }
}
