package dev.sluice.api.monitor;

import dev.sluice.api.config.ParamValues;
import java.nio.file.Path;
import java.util.List;

/** What the runtime hands a monitor: its configuration and the servers it owns. */
public interface MonitorContext {
    String name();

    /** Values of the monitor's spec (common monitor parameters plus the module's own). */
    ParamValues params();

    /** The monitored servers, in the order of the {@code servers=} list (order breaks ties). */
    List<MonitoredServer> servers();

    /** A directory the monitor may keep state in (journal); created on demand by the monitor. */
    Path dataDirectory();

    /**
     * The global {@code passive} setting as it is now ({@code [maxscale]} section, or {@code PATCH /v1/maxscale}
     * at runtime): a passive instance only monitors and performs no automatic cluster operation.
     */
    default boolean passive() {
        return false;
    }
}
