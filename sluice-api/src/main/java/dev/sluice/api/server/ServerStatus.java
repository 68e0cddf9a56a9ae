package dev.sluice.api.server;

import java.util.ArrayList;
import java.util.List;

/**
 * What is known of one server at one moment, as an immutable value. A monitor publishes a new one each tick
 * (a volatile swap in the runtime); routers read it once per decision and never see a half-updated state.
 *
 * @param bits             {@link StatusBit} masks or-ed together
 * @param replicationLag   seconds behind its primary, or -1 when unknown or not a replica
 * @param serverId         {@code @@server_id}, or -1 when never reached
 * @param readOnly         {@code @@read_only}
 * @param gtidBinlogPos    {@code @@gtid_binlog_pos}, empty when unknown
 * @param gtidCurrentPos   {@code @@gtid_current_pos}, empty when unknown
 * @param version          the server's version string, empty until first reached
 * @param detail           a short human-readable explanation of the state (why Down, replication errors)
 */
public record ServerStatus(long bits, long replicationLag, long serverId, boolean readOnly, String gtidBinlogPos,
                           String gtidCurrentPos, String version, String detail) {

    /** The state of a server no monitor has looked at yet: assumed running, role unknown. */
    public static final ServerStatus UNMONITORED = new ServerStatus(StatusBit.RUNNING.mask(), -1, -1, false, "", "",
            "", "not monitored");

    public static final ServerStatus DOWN = new ServerStatus(0, -1, -1, false, "", "", "", "");

    public boolean is(StatusBit bit) {
        return (bits & bit.mask()) != 0;
    }

    public boolean isRunning() {
        return is(StatusBit.RUNNING);
    }

    public boolean isMaster() {
        return is(StatusBit.RUNNING) && is(StatusBit.MASTER);
    }

    public boolean isSlave() {
        return is(StatusBit.RUNNING) && is(StatusBit.SLAVE);
    }

    /** Running and neither in maintenance nor draining: may take new connections. */
    public boolean isUsable() {
        return is(StatusBit.RUNNING) && (bits & StatusBit.MANUAL_BITS) == 0;
    }

    public ServerStatus withBits(long newBits) {
        return new ServerStatus(newBits, replicationLag, serverId, readOnly, gtidBinlogPos, gtidCurrentPos, version,
                detail);
    }

    /** The MaxScale-style state string, e.g. {@code "Master, Running"} or {@code "Down"}. */
    public String stateString() {
        List<String> names = new ArrayList<>();
        for (StatusBit bit : StatusBit.values()) {
            if (bit != StatusBit.RUNNING && is(bit)) {
                names.add(bit.displayName());
            }
        }
        names.add(is(StatusBit.RUNNING) ? "Running" : "Down");
        return String.join(", ", names);
    }
}
