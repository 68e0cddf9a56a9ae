package dev.sluice.modules.monitor;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamValues;
import java.time.Duration;

/**
 * The common monitor parameters every monitor module reads ({@code monitor_interval}, {@code user},
 * {@code password}, {@code backend_connect_timeout}, {@code backend_read_timeout}). The runtime's
 * {@code MonitorParams} declares them for every monitor; the constants here repeat their names and defaults
 * only to read them from the combined {@link ParamValues} a monitor is handed. Immutable.
 */
public record MonitorSettings(Duration interval, Duration connectTimeout, Duration readTimeout, String user,
                              String password) {

    private static final Param<Duration> MONITOR_INTERVAL = Param.duration("monitor_interval", Duration.ofSeconds(2),
            "How often the monitor reads the servers.");
    private static final Param<Duration> BACKEND_CONNECT_TIMEOUT = Param.duration("backend_connect_timeout",
            Duration.ofSeconds(3), "Connect timeout of monitor connections.");
    private static final Param<Duration> BACKEND_READ_TIMEOUT = Param.duration("backend_read_timeout",
            Duration.ofSeconds(3), "Read timeout of monitor connections.");
    private static final Param<String> USER = Param.string("user", "", "Monitor user.");
    private static final Param<String> PASSWORD = Param.password("password", "", "Monitor password.");

    public static MonitorSettings from(ParamValues values) {
        return new MonitorSettings(values.get(MONITOR_INTERVAL), values.get(BACKEND_CONNECT_TIMEOUT),
                values.get(BACKEND_READ_TIMEOUT), values.get(USER), values.get(PASSWORD));
    }
}
