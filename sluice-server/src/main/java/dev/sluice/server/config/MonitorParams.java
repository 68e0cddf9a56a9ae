package dev.sluice.server.config;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import java.time.Duration;
import java.util.List;

/**
 * The parameters every {@code type=monitor} section accepts (reference §2.6); the monitor module's own
 * parameters are declared by the module.
 */
public final class MonitorParams {
    private static final List<String> EVENTS_ALL = List.of("master_down", "master_up", "slave_down", "slave_up",
            "server_down", "server_up", "lost_master", "lost_slave", "new_master", "new_slave");

    public static final Param<String> MODULE = Param.string("module", "",
            "Monitor module, for example mariadbmon.").mandatory();
    public static final Param<List<String>> SERVERS = Param.serverList("servers",
            "Servers this monitor watches; a server may belong to one monitor only.");
    public static final Param<String> USER = Param.string("user", "",
            "Account the monitor logs in to the servers with.").mandatory().modifiable();
    public static final Param<String> PASSWORD = Param.password("password", "",
            "Password of the monitor user, plain or encrypted with maxpasswd.").mandatory().modifiable();
    public static final Param<Duration> MONITOR_INTERVAL = Param.duration("monitor_interval",
            Duration.ofSeconds(2), "Time between two monitoring rounds.").range(100, Long.MAX_VALUE).modifiable();
    public static final Param<Duration> BACKEND_CONNECT_TIMEOUT = Param.duration("backend_connect_timeout",
            Duration.ofSeconds(3), "Connect timeout of monitor connections.").range(1000, Long.MAX_VALUE)
            .modifiable();
    public static final Param<Duration> BACKEND_READ_TIMEOUT = Param.duration("backend_read_timeout",
            Duration.ofSeconds(3), "Read timeout of monitor connections.").range(1000, Long.MAX_VALUE)
            .modifiable();
    public static final Param<Duration> BACKEND_WRITE_TIMEOUT = Param.duration("backend_write_timeout",
            Duration.ofSeconds(3), "Write timeout of monitor connections.").range(1000, Long.MAX_VALUE)
            .modifiable()
            .notSupported("monitor connections have connect and read timeouts only");
    public static final Param<Long> BACKEND_CONNECT_ATTEMPTS = Param.count("backend_connect_attempts", 1,
            "Connection attempts per server and round before it is considered down.").range(1, Long.MAX_VALUE)
            .modifiable();
    public static final Param<String> DISK_SPACE_THRESHOLD = Param.string("disk_space_threshold", "",
            "Disk usage limits as path:percent pairs, for every monitored server.").modifiable();
    public static final Param<Duration> DISK_SPACE_CHECK_INTERVAL = Param.duration("disk_space_check_interval",
            Duration.ZERO, "How often disk space is checked; 0s disables the check.").modifiable();
    public static final Param<String> SCRIPT = Param.string("script", "",
            "Command run on server state changes, with $EVENT, $INITIATOR, $LIST … substituted.").modifiable();
    public static final Param<Duration> SCRIPT_TIMEOUT = Param.duration("script_timeout", Duration.ofSeconds(90),
            "Time the script may run before it is sent SIGTERM, then SIGKILL.").modifiable();
    public static final Param<List<String>> EVENTS = Param.enumList("events", EVENTS_ALL, EVENTS_ALL,
            "Events that launch the script.").documentedDefault("all").modifiable();
    public static final Param<Duration> JOURNAL_MAX_AGE = Param.duration("journal_max_age",
            Duration.ofSeconds(28800), "Maximum age of the on-disk state journal read at startup.").modifiable();

    public static final ParamSpec SPEC = ParamSpec.of(MODULE, SERVERS, USER, PASSWORD, MONITOR_INTERVAL,
            BACKEND_CONNECT_TIMEOUT, BACKEND_READ_TIMEOUT, BACKEND_WRITE_TIMEOUT, BACKEND_CONNECT_ATTEMPTS,
            DISK_SPACE_THRESHOLD, DISK_SPACE_CHECK_INTERVAL, SCRIPT, SCRIPT_TIMEOUT, EVENTS, JOURNAL_MAX_AGE);

    private MonitorParams() {
    }
}
