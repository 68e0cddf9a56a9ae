package dev.sluice.server.config;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import java.time.Duration;
import java.util.List;

/**
 * The generic parameters of a {@code type=service} section (reference §2.4). The router module's own
 * parameters are declared by the module and accepted in the same section on top of these.
 */
public final class ServiceParams {
    public static final Param<String> ROUTER = Param.string("router", "",
            "Router module that routes this service's queries.").mandatory();
    public static final Param<List<String>> SERVERS = Param.serverList("servers",
            "Servers the service routes to (exclusive with targets and cluster).");
    public static final Param<List<String>> TARGETS = Param.serverList("targets",
            "Servers the service routes to (exclusive with servers and cluster); services are not supported yet.");
    public static final Param<String> CLUSTER = Param.target("cluster",
            "Monitor whose servers the service routes to, following its membership (exclusive with servers).");
    public static final Param<List<String>> FILTERS = Param.serverList("filters",
            "Filters every query passes through, separated by |, first listed sees the query first.");
    public static final Param<String> USER = Param.string("user", "",
            "Account used to read user accounts (mysql.user and friends) from the backends.").mandatory()
            .modifiable();
    public static final Param<String> PASSWORD = Param.password("password", "",
            "Password of the service user, plain or encrypted with maxpasswd.").mandatory().modifiable();
    public static final Param<Boolean> ENABLE_ROOT_USER = Param.bool("enable_root_user", false,
            "Allow the root account to log in through this service.").modifiable();
    public static final Param<String> VERSION_STRING = Param.string("version_string", "",
            "Server version sent to clients in the handshake; empty means the lowest backend version.")
            .modifiable();
    public static final Param<Boolean> AUTH_ALL_SERVERS = Param.bool("auth_all_servers", false,
            "Load user accounts from every server and merge them, not only from the primary.").modifiable()
            .notSupported("user accounts are loaded from one server", "false");
    public static final Param<Boolean> LOG_AUTH_WARNINGS = Param.bool("log_auth_warnings", true,
            "Log a warning for every failed client authentication.").modifiable();
    public static final Param<Boolean> LOG_INFO = Param.bool("log_info", false,
            "Log informational messages for this service even when the global log_info is off.").modifiable()
            .notSupported("log levels are global ([maxscale]) only", "false");
    public static final Param<Boolean> LOG_NOTICE = Param.bool("log_notice", false,
            "Log notices for this service even when the global log_notice is off.").modifiable()
            .notSupported("log levels are global ([maxscale]) only", "false");
    public static final Param<Boolean> LOG_WARNING = Param.bool("log_warning", false,
            "Log warnings for this service even when the global log_warning is off.").modifiable()
            .notSupported("log levels are global ([maxscale]) only", "false");
    public static final Param<Boolean> LOG_DEBUG = Param.bool("log_debug", false,
            "Log debug messages for this service even when the global log_debug is off.").modifiable()
            .notSupported("log levels are global ([maxscale]) only", "false");
    public static final Param<Duration> WAIT_TIMEOUT = Param.duration("wait_timeout", Duration.ZERO,
            "Close client sessions idle for longer than this; 0s means never.").alias("connection_timeout")
            .modifiable();
    public static final Param<Long> MAX_CONNECTIONS = Param.count("max_connections", 0,
            "Maximum concurrent client sessions; further clients get Too many connections. 0 means no limit.")
            .modifiable();
    public static final Param<Duration> CONNECTION_KEEPALIVE = Param.duration("connection_keepalive",
            Duration.ofSeconds(300), "Ping idle backend connections of live sessions this often; 0s disables.")
            .modifiable();
    public static final Param<Boolean> FORCE_CONNECTION_KEEPALIVE = Param.bool("force_connection_keepalive",
            false, "Ping idle backend connections even when the client has been idle too.").modifiable()
            .notSupported("keepalive pings only backends of sessions whose client is active", "false");
    public static final Param<Duration> NET_WRITE_TIMEOUT = Param.duration("net_write_timeout", Duration.ZERO,
            "Close a session whose client has not accepted buffered data for this long; 0s means never.")
            .modifiable()
            .notSupported("closing sessions on slow clients is not implemented yet", "0s");
    public static final Param<Long> MAX_SESCMD_HISTORY = Param.count("max_sescmd_history", 50,
            "Session commands remembered to replay on new backend connections.").modifiable();
    public static final Param<Boolean> PRUNE_SESCMD_HISTORY = Param.bool("prune_sescmd_history", true,
            "Drop the oldest session commands when the history is full instead of disabling it.").modifiable();
    public static final Param<Boolean> DISABLE_SESCMD_HISTORY = Param.bool("disable_sescmd_history", false,
            "Do not keep a session command history (no reconnection of lost backends).").modifiable();
    public static final Param<Long> RETAIN_LAST_STATEMENTS = Param.integer("retain_last_statements", -1,
            "Statements kept per session for diagnostics; -1 means use the global value.")
            .range(-1, Long.MAX_VALUE).modifiable();
    public static final Param<String> USER_ACCOUNTS_FILE = Param.path("user_accounts_file", "",
            "JSON or CSV file of extra user accounts for client authentication.")
            .notSupported("user account files are not implemented");
    public static final Param<String> USER_ACCOUNTS_FILE_USAGE = Param.enumeration("user_accounts_file_usage",
            "add_when_load_ok", List.of("add_when_load_ok", "file_only_always"),
            "Whether the file's accounts are added to the loaded ones or replace them.")
            .notSupported("user account files are not implemented");
    public static final Param<Duration> IDLE_SESSION_POOL_TIME = Param.duration("idle_session_pool_time",
                    Duration.ofSeconds(-1),
                    "Return a session's backend connections to the pool after this idle time; -1s disables.")
            .range(-1000, Long.MAX_VALUE).modifiable()
            .notSupported("pooling the backends of idle sessions is not implemented yet", "-1s");
    public static final Param<Duration> MULTIPLEX_TIMEOUT = Param.duration("multiplex_timeout",
            Duration.ofSeconds(60), "How long a session waits for a pooled connection before failing.")
            .modifiable()
            .notSupported("pooling the backends of idle sessions is not implemented yet");
    public static final Param<Boolean> SESSION_TRACK_TRX_STATE = Param.bool("session_track_trx_state", true,
            "Track transaction state from server session tracking (deprecated in MaxScale; automatic).")
            .notSupported("transaction state is always tracked (deprecated in MaxScale)", "true");
    public static final Param<Boolean> STRIP_DB_ESC = Param.bool("strip_db_esc", true,
            "Strip escape characters from database names in grants (deprecated in MaxScale).")
            .notSupported("deprecated in MaxScale; database grants are matched as the server stores them");
    public static final Param<String> RANK = Param.enumeration("rank", "primary", List.of("primary", "secondary"),
            "Routing preference when this service is the target of another service.").modifiable()
            .notSupported("services as routing targets of other services have no rank yet", "primary");

    public static final ParamSpec SPEC = ParamSpec.of(ROUTER, SERVERS, TARGETS, CLUSTER, FILTERS, USER, PASSWORD,
            ENABLE_ROOT_USER, VERSION_STRING, AUTH_ALL_SERVERS, LOG_AUTH_WARNINGS, LOG_INFO, LOG_NOTICE, LOG_WARNING,
            LOG_DEBUG, WAIT_TIMEOUT, MAX_CONNECTIONS, CONNECTION_KEEPALIVE, FORCE_CONNECTION_KEEPALIVE,
            NET_WRITE_TIMEOUT, MAX_SESCMD_HISTORY, PRUNE_SESCMD_HISTORY, DISABLE_SESCMD_HISTORY,
            RETAIN_LAST_STATEMENTS, USER_ACCOUNTS_FILE, USER_ACCOUNTS_FILE_USAGE, IDLE_SESSION_POOL_TIME,
            MULTIPLEX_TIMEOUT, SESSION_TRACK_TRX_STATE, STRIP_DB_ESC, RANK);

    private ServiceParams() {
    }
}
