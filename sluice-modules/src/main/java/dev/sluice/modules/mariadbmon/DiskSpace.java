package dev.sluice.modules.mariadbmon;

import dev.sluice.api.config.Param;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code disk_space_threshold} / {@code disk_space_check_interval}: the monitor reads
 * {@code information_schema.DISKS} (the {@code DISKS} plugin: {@code INSTALL SONAME 'disks'}; the monitor user
 * needs {@code FILE}) at most every {@code disk_space_check_interval} and marks a server whose disk use is above
 * its limit {@code Disk Space Exhausted}.
 *
 * <p>A threshold is {@code path:percent,...} with {@code *} for every disk not named (MaxScale's syntax); a
 * server's own {@code disk_space_threshold} replaces the monitor's. A disk is exhausted when
 * {@code Used / Total} is above its percent. A server without the {@code DISKS} table (or without the privilege)
 * is not checked any more; the monitor logs why once.
 */
final class DiskSpace {

    static final String QUERY = "SELECT Path, Total, Used FROM information_schema.DISKS";

    private static final Param<String> THRESHOLD = Param.string("disk_space_threshold", "", "Disk usage limits.");
    private static final Param<Duration> INTERVAL = Param.duration("disk_space_check_interval", Duration.ZERO,
            "How often disk space is checked.");

    private DiskSpace() {
    }

    /** One row of {@code information_schema.DISKS}; sizes in KiB as the table gives them. */
    record Disk(String path, long total, long used) {
    }

    static String threshold(dev.sluice.api.config.ParamValues values) {
        return values.get(THRESHOLD);
    }

    static Duration interval(dev.sluice.api.config.ParamValues values) {
        return values.get(INTERVAL);
    }

    /**
     * Parses {@code path:percent,...}; {@code key} names the parameter in the error message.
     *
     * @throws IllegalArgumentException on a malformed entry or a percent outside 0–100
     */
    static Map<String, Integer> parse(String key, String text) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return limits;
        }
        for (String entry : text.split(",")) {
            String e = entry.trim();
            int colon = e.lastIndexOf(':');
            String why = "";
            int percent = -1;
            if (colon <= 0 || colon == e.length() - 1) {
                why = "expected path:percent";
            } else {
                try {
                    percent = Integer.parseInt(e.substring(colon + 1).trim());
                } catch (NumberFormatException nfe) {
                    why = "the percent is not a number";
                }
                if (why.isEmpty() && (percent < 0 || percent > 100)) {
                    why = "the percent must be 0–100";
                }
            }
            if (!why.isEmpty()) {
                throw new IllegalArgumentException(key + ": '" + e + "' in '" + text + "': " + why
                        + " (for example '/var/lib/mysql:80,*:90')");
            }
            limits.put(e.substring(0, colon).trim(), percent);
        }
        return limits;
    }

    /** The disks above their limit, described ({@code "/ 45% used, limit 1%"}), joined; empty when none. */
    static String exhausted(List<Disk> disks, Map<String, Integer> limits) {
        List<String> over = new ArrayList<>();
        for (Disk d : disks) {
            Integer limit = limits.containsKey(d.path()) ? limits.get(d.path()) : limits.get("*");
            if (limit == null || d.total() <= 0) {
                continue;
            }
            double used = 100.0 * d.used() / d.total();
            if (used > limit) {
                over.add(d.path() + " " + String.format(Locale.ROOT, "%.0f", Math.floor(used)) + "% used, limit "
                        + limit + "%");
            }
        }
        return String.join("; ", over);
    }

    static List<Disk> read(Connection c) throws SQLException {
        List<Disk> disks = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                disks.add(new Disk(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        }
        return disks;
    }

    /**
     * Applies the disk checks to a tick's statuses: {@code Disk Space Exhausted} on each running server in
     * {@code exhausted} (non-empty description); with {@code disk_space_ok} in {@code master_conditions} the
     * primary loses {@code Master}; a replica loses {@code Slave} with {@code disk_space_ok} in
     * {@code slave_conditions} or with {@code maintenance_on_low_disk_space} (routers stop using it).
     */
    static List<ServerStatus> apply(List<ServerStatus> statuses, String[] exhausted, List<String> masterConditions,
                                    List<String> slaveConditions, boolean maintenanceOnLowDisk) {
        List<ServerStatus> out = new ArrayList<>(statuses);
        for (int i = 0; i < out.size(); i++) {
            ServerStatus s = out.get(i);
            if (exhausted[i] == null || exhausted[i].isEmpty() || !s.isRunning()) {
                continue;
            }
            long bits = s.bits() | StatusBit.DISK_SPACE_EXHAUSTED.mask();
            String why = "disk space exhausted: " + exhausted[i];
            if (s.isMaster() && masterConditions.contains("disk_space_ok")) {
                bits &= ~StatusBit.MASTER.mask();
                why = "master_conditions: " + why + " (disk_space_ok)";
            } else if (s.isSlave() && slaveConditions.contains("disk_space_ok")) {
                bits &= ~StatusBit.SLAVE.mask();
                why = "slave_conditions: " + why + " (disk_space_ok)";
            } else if (s.isSlave() && maintenanceOnLowDisk) {
                bits &= ~StatusBit.SLAVE.mask();
                why = why + "; not used as a replica (maintenance_on_low_disk_space)";
            }
            String detail = s.detail().isEmpty() ? why : why + "; " + s.detail();
            out.set(i, new ServerStatus(bits, s.replicationLag(), s.serverId(), s.readOnly(), s.gtidBinlogPos(),
                    s.gtidCurrentPos(), s.version(), detail));
        }
        return out;
    }
}
