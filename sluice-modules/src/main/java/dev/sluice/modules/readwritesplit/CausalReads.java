package dev.sluice.modules.readwritesplit;

import dev.sluice.api.server.GtidPosition;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * causal_reads: what each mode needs, GTID position arithmetic, and the internal queries the session sends
 * (their replies never reach the client). A GTID position is MariaDB's text form, a comma-separated list of
 * {@code domain-server-sequence}, one per replication domain; the empty string means "nothing to wait for".
 */
final class CausalReads {
    enum Mode {
        NONE, LOCAL, GLOBAL, FAST, FAST_GLOBAL, UNIVERSAL, FAST_UNIVERSAL;

        static Mode of(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }

        /** The session reads {@code @@last_gtid} on the primary after each write (or transaction) it completes. */
        boolean tracksWrites() {
            return this == LOCAL || this == GLOBAL || this == FAST || this == FAST_GLOBAL;
        }

        /** A read first asks the primary for {@code @@gtid_current_pos}. */
        boolean asksPrimary() {
            return this == UNIVERSAL || this == FAST_UNIVERSAL;
        }

        /** The replica waits (MASTER_GTID_WAIT); the fast modes instead pick a replica known to be caught up. */
        boolean waits() {
            return this == LOCAL || this == GLOBAL || this == UNIVERSAL;
        }

        boolean global() {
            return this == GLOBAL || this == FAST_GLOBAL;
        }
    }

    static final String LAST_GTID_QUERY = "SELECT @@last_gtid";
    static final String CURRENT_POS_QUERY = "SELECT @@gtid_current_pos";

    private CausalReads() {
    }

    /** {@code SELECT MASTER_GTID_WAIT('pos', seconds)}: 0 once the server applied pos, -1 on timeout. */
    static String waitQuery(String gtid, Duration timeout) {
        if (!valid(gtid)) {
            throw new IllegalArgumentException("not a GTID position: " + gtid);
        }
        BigDecimal seconds = BigDecimal.valueOf(timeout.toMillis()).movePointLeft(3);
        return "SELECT MASTER_GTID_WAIT('" + gtid + "', " + seconds.toPlainString() + ")";
    }

    /** Whether the text is a GTID position (digits, dashes and commas only: safe to put in a quoted literal). */
    static boolean valid(String gtid) {
        return GtidPosition.isValid(gtid);
    }

    /** The position that includes both: per domain, the higher sequence number. */
    static String merge(String a, String b) {
        return GtidPosition.parse(a).merge(GtidPosition.parse(b)).toString();
    }

    /** Whether a server at position {@code pos} has applied everything in {@code required}. */
    static boolean covers(String pos, String required) {
        return GtidPosition.parse(pos).covers(GtidPosition.parse(required));
    }
}
