package dev.sluice.server.config;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamException;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import java.time.Duration;
import java.util.List;

/**
 * The parameters of the {@code [maxscale]} section (reference §2.2). Every parameter MaxScale documents is
 * declared, so a MaxScale configuration starts unchanged, even where Sluice does not act on it yet.
 */
public final class GlobalParams {
    private static final List<String> HTTP_METHODS = List.of("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD",
            "OPTIONS", "CONNECT", "TRACE");

    // Threads and performance
    public static final Param<String> THREADS = Param.string("threads", "auto",
            "Routing worker threads: a number, or auto for one per available processor.")
            .check(GlobalParams::checkThreads);
    public static final Param<Long> THREADS_MAX = Param.count("threads_max", 256,
            "Upper limit for threads: a larger threads value (or auto on a larger machine) is capped to it.").range(1, Long.MAX_VALUE);
    public static final Param<Duration> REBALANCE_PERIOD = Param.duration("rebalance_period", Duration.ZERO,
            "How often worker load is rebalanced by moving sessions; 0s disables.").modifiable()
            .notSupported("worker load rebalancing is not implemented yet (sessions stay on the worker they started on)");
    public static final Param<Long> REBALANCE_THRESHOLD = Param.count("rebalance_threshold", 20,
            "Load difference in percent between workers that triggers rebalancing.").range(0, 100).modifiable()
            .notSupported("worker load rebalancing is not implemented yet (sessions stay on the worker they started on)");
    public static final Param<Long> REBALANCE_WINDOW = Param.count("rebalance_window", 10,
            "Seconds of load history considered when rebalancing.").range(1, 60).modifiable()
            .notSupported("worker load rebalancing is not implemented yet (sessions stay on the worker they started on)");
    public static final Param<Long> QUERY_CLASSIFIER_CACHE_SIZE = Param.size("query_classifier_cache_size", 0,
            "Memory for the classifier's cache of parsed statements; 0 disables the cache.")
            .documentedDefault("15% of the JVM heap");
    public static final Param<Long> WRITEQ_HIGH_WATER = Param.size("writeq_high_water", 65536,
            "Client or backend output buffered beyond this stops reading from the other side.").modifiable();
    public static final Param<Long> WRITEQ_LOW_WATER = Param.size("writeq_low_water", 1024,
            "Reading resumes when the buffered output falls below this.").modifiable();
    public static final Param<String> AUTO_TUNE = Param.string("auto_tune", "",
            "Parameters (or all) set from the backends: wait_timeout and connection_keepalive.")
            .notSupported("auto-tuning from the backends is not implemented yet");

    // Logging
    public static final Param<Boolean> MAXLOG = Param.bool("maxlog", true,
            "Write the log file in logdir.").modifiable();
    public static final Param<Boolean> SYSLOG = Param.bool("syslog", false,
            "Also log to syslog.").modifiable();
    public static final Param<Boolean> LOG_WARNING = Param.bool("log_warning", true,
            "Log warnings.").modifiable();
    public static final Param<Boolean> LOG_NOTICE = Param.bool("log_notice", true,
            "Log notices.").modifiable();
    public static final Param<Boolean> LOG_INFO = Param.bool("log_info", false,
            "Log informational messages, including routing decisions.").modifiable();
    public static final Param<Boolean> LOG_DEBUG = Param.bool("log_debug", false,
            "Log debug messages.").modifiable();
    public static final Param<Boolean> MS_TIMESTAMP = Param.bool("ms_timestamp", false,
            "Log timestamps with millisecond precision.").modifiable();
    public static final Param<String> LOG_THROTTLING = Param.string("log_throttling", "10, 1000ms, 10000ms",
            "Suppress a message logged more than X times within Y for Z: \"X, Y, Z\"; 0 disables.")
            .check(GlobalParams::checkLogThrottling).modifiable();
    public static final Param<String> LOG_FORMAT = Param.enumeration("log_format", "text", List.of("text", "json"),
            "Format of log lines: text (as MaxScale) or json (one JSON object per line; Sluice only).")
            .modifiable();
    public static final Param<Long> LOG_AUGMENTATION = Param.count("log_augmentation", 0,
            "1 appends the name of the function that logged to each message.").range(0, 1).modifiable();
    public static final Param<Boolean> LOG_WARN_SUPER_USER = Param.bool("log_warn_super_user", false,
            "Warn when a user with SUPER privilege logs in.")
            .notSupported("the SUPER privilege of clients is not checked at login", "false");
    // the packages' launchers set their own defaults (-Dsluice.logdir.default=/var/log/sluice), as MaxScale's
    // compiled-in paths follow its install prefix
    public static final Param<String> LOGDIR = Param.path("logdir",
            System.getProperty("sluice.logdir.default", "/var/log/maxscale"),
            "Directory of the log file.");

    // Telemetry
    public static final Param<Boolean> TELEMETRY = Param.bool("telemetry", false,
            "Export the metrics of /metrics over OpenTelemetry (OTLP/HTTP, protobuf) to telemetry_url.");
    public static final Param<String> TELEMETRY_URL = Param.string("telemetry_url", "http://127.0.0.1:4318/v1/metrics",
            "OTLP/HTTP endpoint the metrics are sent to.");
    public static final Param<Duration> TELEMETRY_INTERVAL = Param.duration("telemetry_interval",
            Duration.ofSeconds(60), "How often the metrics are sent (Sluice only).").range(1000, Long.MAX_VALUE);

    // Directories
    public static final Param<String> DATADIR = Param.path("datadir",
            System.getProperty("sluice.datadir.default", "/var/lib/maxscale"),
            "Directory for state kept between runs (journals, .secrets).");
    public static final Param<String> CACHEDIR = Param.path("cachedir", "/var/cache/maxscale",
            "Directory for cached data such as user accounts.")
            .notSupported("Sluice does not use this directory");
    public static final Param<String> PIDDIR = Param.path("piddir", "/var/run/maxscale",
            "Directory of the PID file.")
            .notSupported("Sluice does not use this directory");
    public static final Param<String> PERSISTDIR = Param.path("persistdir", "/var/lib/maxscale/maxscale.cnf.d/",
            "Directory where runtime changes are persisted, one file per object, and read from at startup.")
            .documentedDefault("<datadir>/maxscale.cnf.d");
    public static final Param<String> MODULE_CONFIGDIR = Param.path("module_configdir", "/etc/maxscale.modules.d/",
            "Directory of module-specific configuration files.")
            .notSupported("Sluice does not use this directory");
    public static final Param<String> SHAREDIR = Param.path("sharedir", "/usr/share/maxscale",
            "Directory of shared read-only files such as the GUI.")
            .notSupported("Sluice does not use this directory");
    public static final Param<String> LIBDIR = Param.path("libdir", "/usr/lib64/maxscale",
            "Directory MaxScale loads its modules from (Sluice uses the classpath).")
            .notSupported("Sluice does not use this directory");
    public static final Param<String> EXECDIR = Param.path("execdir", "/usr/bin",
            "Directory of the executables.")
            .notSupported("Sluice does not use this directory");
    public static final Param<String> CONNECTOR_PLUGINDIR = Param.path("connector_plugindir",
            "/usr/lib64/maxscale/plugin", "Directory of MariaDB Connector/C plugins (unused by Sluice).")
            .notSupported("Sluice does not use this directory");
    public static final Param<String> SECRETSDIR = Param.path("secretsdir", "",
            "Directory of the .secrets key file; empty means datadir.")
            .notSupported("encrypted passwords (.secrets) are not implemented yet");
    public static final Param<String> LANGUAGE = Param.path("language", "/var/lib/maxscale/",
            "Directory of the errmsg.sys file (deprecated in MaxScale).")
            .notSupported("Sluice does not use this directory");

    // Authentication and users
    public static final Param<Duration> USERS_REFRESH_TIME = Param.duration("users_refresh_time",
            Duration.ofSeconds(30), "Minimum time between two user account reloads triggered by failed logins; "
                    + "0s means no limit.");
    public static final Param<Duration> USERS_REFRESH_INTERVAL = Param.duration("users_refresh_interval",
            Duration.ZERO, "Reload user accounts periodically at this interval; 0s disables.").modifiable()
            .notSupported("periodic user account reloads are not implemented yet (accounts reload after failed logins, users_refresh_time)", "0s");
    public static final Param<Duration> AUTH_CONNECT_TIMEOUT = Param.duration("auth_connect_timeout",
            Duration.ofSeconds(10), "Connect timeout when loading user accounts.");
    public static final Param<Duration> AUTH_READ_TIMEOUT = Param.duration("auth_read_timeout",
            Duration.ofSeconds(10), "Read timeout when loading user accounts.").modifiable()
            .notSupported("user account loading has one timeout, auth_connect_timeout");
    public static final Param<Duration> AUTH_WRITE_TIMEOUT = Param.duration("auth_write_timeout",
            Duration.ofSeconds(10), "Write timeout when loading user accounts.").modifiable()
            .notSupported("user account loading has one timeout, auth_connect_timeout");
    public static final Param<Boolean> SKIP_NAME_RESOLVE = Param.bool("skip_name_resolve", false,
            "Do not resolve client addresses to host names when matching accounts.");
    public static final Param<Long> MAX_AUTH_ERRORS_UNTIL_BLOCK = Param.count("max_auth_errors_until_block", 0,
            "Failed logins from one host before it is blocked for 60 seconds; 0 disables.").modifiable()
            .notSupported("blocking hosts after failed logins is not implemented yet", "0");
    public static final Param<String> LOCAL_ADDRESS = Param.string("local_address", "",
            "Local IP address backend connections are made from.")
            .notSupported("choosing the local address of backend connections is not implemented yet");

    // Internal queries
    public static final Param<Long> QUERY_RETRIES = Param.count("query_retries", 0,
            "Retries of internal queries (user loading, monitors) after a network error.")
            .notSupported("internal queries are not retried", "0");
    public static final Param<Duration> QUERY_RETRY_TIMEOUT = Param.duration("query_retry_timeout",
            Duration.ofSeconds(10), "Total time internal query retries may take.").modifiable()
            .notSupported("internal queries are not retried");

    // High availability and configuration
    public static final Param<Boolean> PASSIVE = Param.bool("passive", false,
            "Passive mode: monitors make no cluster changes (failover, rejoin).").modifiable();
    public static final Param<Boolean> PERSIST_RUNTIME_CHANGES = Param.bool("persist_runtime_changes", true,
            "Write runtime configuration changes to persistdir.");
    public static final Param<Boolean> LOAD_PERSISTED_CONFIGS = Param.bool("load_persisted_configs", true,
            "Apply the persisted runtime changes at startup.");
    public static final Param<String> CONFIG_SYNC_CLUSTER = Param.string("config_sync_cluster", "",
            "Monitor whose cluster stores the configuration shared by several instances.").modifiable();
    public static final Param<String> CONFIG_SYNC_USER = Param.string("config_sync_user", "",
            "Account that reads and writes the shared configuration.").modifiable();
    public static final Param<String> CONFIG_SYNC_PASSWORD = Param.password("config_sync_password", "",
            "Password of config_sync_user.").modifiable();
    public static final Param<String> CONFIG_SYNC_DB = Param.string("config_sync_db", "mysql",
            "Database of the maxscale_config table.");
    public static final Param<Duration> CONFIG_SYNC_INTERVAL = Param.duration("config_sync_interval",
            Duration.ofSeconds(5), "How often the shared configuration is checked for changes.").modifiable();
    public static final Param<Duration> CONFIG_SYNC_TIMEOUT = Param.duration("config_sync_timeout",
            Duration.ofSeconds(10), "Timeout of configuration synchronisation queries.").modifiable();
    public static final Param<String> KEY_MANAGER = Param.enumeration("key_manager", "none",
            List.of("none", "file", "kmip", "vault"), "Where encryption keys come from.").modifiable()
            .notSupported("encryption key managers are not implemented", "none");

    // Debugging
    public static final Param<Long> RETAIN_LAST_STATEMENTS = Param.count("retain_last_statements", 0,
            "Statements kept per session for diagnostics.").modifiable();
    public static final Param<String> DUMP_LAST_STATEMENTS = Param.enumeration("dump_last_statements", "never",
            List.of("never", "on_error", "on_close"), "When a session's retained statements are logged.")
            .modifiable();
    public static final Param<Long> SESSION_TRACE = Param.count("session_trace", 0,
            "Log messages (of every level) kept per session, shown by GET /v1/sessions/:id and logged when it ends "
                    + "in an error.").modifiable();
    public static final Param<String> SESSION_TRACE_MATCH = Param.string("session_trace_match", "",
            "Regular expression: a session trace with a matching message is logged when the session ends, however "
                    + "it ends.").check(GlobalParams::checkRegex).modifiable();
    public static final Param<Boolean> CORE_FILE = Param.bool("core_file", false,
            "Write a core file on a crash (no effect in Sluice).")
            .notSupported("a JVM writes no core file", "false");
    public static final Param<String> DEBUG = Param.string("debug", "",
            "Debug options of debug builds.")
            .notSupported("Sluice has no debug build options");

    // SQL
    public static final Param<String> SQL_MODE = Param.enumeration("sql_mode", "default",
            List.of("default", "oracle"), "SQL mode the classifier assumes by default.")
            .notSupported("the classifier knows only the default SQL mode", "default");
    public static final Param<Boolean> SUBSTITUTE_VARIABLES = Param.bool("substitute_variables", false,
            "Replace values starting with $ by the environment variable of that name.");

    // REST API
    public static final Param<String> ADMIN_HOST = Param.string("admin_host", "127.0.0.1",
            "Address the admin REST API listens on.");
    public static final Param<Long> ADMIN_PORT = Param.count("admin_port", 8989,
            "Port of the admin REST API.").range(1, 65535);
    public static final Param<Boolean> ADMIN_AUTH = Param.bool("admin_auth", true,
            "Require authentication on the admin REST API.");
    public static final Param<Boolean> ADMIN_ENABLED = Param.bool("admin_enabled", true,
            "Start the admin REST API.");
    public static final Param<Boolean> ADMIN_GUI = Param.bool("admin_gui", true,
            "Serve the web GUI from the admin port (docs/gui.md).");
    public static final Param<Boolean> ADMIN_SECURE_GUI = Param.bool("admin_secure_gui", true,
            "Serve the GUI only over HTTPS: without admin_ssl_cert and admin_ssl_key its pages answer 403 "
                    + "saying so (the REST API still works).");
    public static final Param<String> ADMIN_SSL_KEY = Param.path("admin_ssl_key", "",
            "TLS private key of the admin REST API.");
    public static final Param<String> ADMIN_SSL_CERT = Param.path("admin_ssl_cert", "",
            "TLS certificate of the admin REST API.");
    public static final Param<String> ADMIN_SSL_CA = Param.path("admin_ssl_ca", "",
            "CA certificate for verifying admin REST API clients.").alias("admin_ssl_ca_cert");
    public static final Param<String> ADMIN_SSL_VERSION = TlsParams.sslVersion("admin_ssl_version",
            "Minimum TLS version of the admin REST API.");
    public static final Param<Boolean> ADMIN_LOG_AUTH_FAILURES = Param.bool("admin_log_auth_failures", true,
            "Log failed admin REST API logins.").modifiable();
    public static final Param<String> ADMIN_PAM_READWRITE_SERVICE = Param.string("admin_pam_readwrite_service",
            "", "PAM service authenticating admin users with full access.")
            .notSupported("PAM authentication of admin users is not implemented");
    public static final Param<String> ADMIN_PAM_READONLY_SERVICE = Param.string("admin_pam_readonly_service",
            "", "PAM service authenticating read-only admin users.")
            .notSupported("PAM authentication of admin users is not implemented");
    public static final Param<String> ADMIN_READWRITE_HOSTS = Param.string("admin_readwrite_hosts", "%",
            "Hosts from which admin users may make changes.");
    public static final Param<String> ADMIN_READONLY_HOSTS = Param.string("admin_readonly_hosts", "%",
            "Hosts from which admin users may read.");
    public static final Param<String> ADMIN_JWT_ALGORITHM = Param.enumeration("admin_jwt_algorithm", "auto",
            List.of("auto", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                    "ES256", "ES384", "ES512", "ED25519", "ED448"), "Signature algorithm of admin JWT tokens.")
            .notSupported("admin tokens are signed with HS256 only", "auto", "HS256");
    public static final Param<String> ADMIN_JWT_KEY = Param.path("admin_jwt_key", "",
            "Key file for signing admin JWT tokens; empty means a random key.")
            .notSupported("admin tokens are signed with a random key drawn at startup");
    public static final Param<Duration> ADMIN_JWT_MAX_AGE = Param.duration("admin_jwt_max_age",
            Duration.ofHours(24), "Maximum lifetime of admin JWT tokens.");
    public static final Param<String> ADMIN_JWT_ISSUER = Param.string("admin_jwt_issuer", "maxscale",
            "Issuer written into admin JWT tokens.");
    public static final Param<String> ADMIN_OIDC_URL = Param.string("admin_oidc_url", "",
            "OpenID Connect server whose tokens the admin API accepts.")
            .notSupported("OpenID Connect admin authentication is not implemented");
    public static final Param<String> ADMIN_VERIFY_URL = Param.string("admin_verify_url", "",
            "URL that verifies admin credentials instead of the local users.")
            .notSupported("external verification of admin credentials is not implemented");
    public static final Param<Boolean> ADMIN_AUDIT = Param.bool("admin_audit", false,
            "Write an audit log of admin REST API requests.").modifiable();
    public static final Param<String> ADMIN_AUDIT_FILE = Param.path("admin_audit_file",
            "/var/log/maxscale/admin_audit.csv", "File of the admin audit log.").modifiable();
    public static final Param<List<String>> ADMIN_AUDIT_EXCLUDE_METHODS = Param.enumList(
            "admin_audit_exclude_methods", List.of(), HTTP_METHODS, "HTTP methods left out of the audit log.")
            .modifiable();

    public static final ParamSpec SPEC = ParamSpec.of(THREADS, THREADS_MAX, REBALANCE_PERIOD, REBALANCE_THRESHOLD,
            REBALANCE_WINDOW, QUERY_CLASSIFIER_CACHE_SIZE, WRITEQ_HIGH_WATER, WRITEQ_LOW_WATER, AUTO_TUNE,
            MAXLOG, SYSLOG, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG, MS_TIMESTAMP, LOG_THROTTLING,
            LOG_FORMAT, LOG_AUGMENTATION, TELEMETRY, TELEMETRY_URL, TELEMETRY_INTERVAL, LOG_WARN_SUPER_USER, LOGDIR, DATADIR, CACHEDIR, PIDDIR, PERSISTDIR, MODULE_CONFIGDIR,
            SHAREDIR, LIBDIR, EXECDIR, CONNECTOR_PLUGINDIR, SECRETSDIR, LANGUAGE, USERS_REFRESH_TIME,
            USERS_REFRESH_INTERVAL, AUTH_CONNECT_TIMEOUT, AUTH_READ_TIMEOUT, AUTH_WRITE_TIMEOUT, SKIP_NAME_RESOLVE,
            MAX_AUTH_ERRORS_UNTIL_BLOCK, LOCAL_ADDRESS, QUERY_RETRIES, QUERY_RETRY_TIMEOUT, PASSIVE,
            PERSIST_RUNTIME_CHANGES, LOAD_PERSISTED_CONFIGS, CONFIG_SYNC_CLUSTER, CONFIG_SYNC_USER,
            CONFIG_SYNC_PASSWORD, CONFIG_SYNC_DB, CONFIG_SYNC_INTERVAL, CONFIG_SYNC_TIMEOUT, KEY_MANAGER,
            RETAIN_LAST_STATEMENTS, DUMP_LAST_STATEMENTS, SESSION_TRACE, SESSION_TRACE_MATCH, CORE_FILE, DEBUG,
            SQL_MODE, SUBSTITUTE_VARIABLES, ADMIN_HOST, ADMIN_PORT, ADMIN_AUTH, ADMIN_ENABLED, ADMIN_GUI,
            ADMIN_SECURE_GUI, ADMIN_SSL_KEY, ADMIN_SSL_CERT, ADMIN_SSL_CA, ADMIN_SSL_VERSION,
            ADMIN_LOG_AUTH_FAILURES, ADMIN_PAM_READWRITE_SERVICE, ADMIN_PAM_READONLY_SERVICE,
            ADMIN_READWRITE_HOSTS, ADMIN_READONLY_HOSTS, ADMIN_JWT_ALGORITHM, ADMIN_JWT_KEY, ADMIN_JWT_MAX_AGE,
            ADMIN_JWT_ISSUER, ADMIN_OIDC_URL, ADMIN_VERIFY_URL, ADMIN_AUDIT, ADMIN_AUDIT_FILE,
            ADMIN_AUDIT_EXCLUDE_METHODS);

    private GlobalParams() {
    }

    /**
     * The number of routing workers: {@code threads}, with auto resolved to the available processors, at most
     * {@code threads_max} (as MaxScale, which caps the configured value).
     */
    public static int threads(ParamValues values) {
        String configured = values.get(THREADS);
        int wanted = configured.equalsIgnoreCase("auto") ? Runtime.getRuntime().availableProcessors()
                : Integer.parseInt(configured);
        return (int) Math.min(wanted, values.get(THREADS_MAX));
    }

    /** The classifier cache size in bytes: as configured, or 15% of the JVM's maximum heap when not set. */
    public static long queryClassifierCacheSize(ParamValues values) {
        if (values.isSet(QUERY_CLASSIFIER_CACHE_SIZE)) {
            return values.get(QUERY_CLASSIFIER_CACHE_SIZE);
        }
        return Runtime.getRuntime().maxMemory() / 100 * 15;
    }

    private static void checkThreads(String value) throws ParamException {
        if (value.equalsIgnoreCase("auto")) {
            return;
        }
        try {
            if (Integer.parseInt(value) >= 1) {
                return;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParamException("'" + value + "' is not a thread count (expected: auto or a number from 1)");
    }

    private static void checkRegex(String value) throws ParamException {
        try {
            java.util.regex.Pattern.compile(value);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new ParamException("'" + value + "' is not a regular expression: " + e.getDescription());
        }
    }

    private static void checkLogThrottling(String value) throws ParamException {
        String[] parts = value.split(",");
        if (value.strip().equals("0")) {
            return;
        }
        if (parts.length != 3) {
            throw new ParamException("'" + value + "' is not a throttling rule (expected: count, window, "
                    + "suppression, for example 10, 1000ms, 10000ms)");
        }
        Param.count("count", 0, "count").parse(parts[0]);
        Param.duration("window", Duration.ZERO, "window").parse(parts[1]);
        Param.duration("suppression", Duration.ZERO, "suppression").parse(parts[2]);
    }
}
