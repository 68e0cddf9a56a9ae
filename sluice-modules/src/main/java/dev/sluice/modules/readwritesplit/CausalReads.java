package dev.sluice.modules.readwritesplit;

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
        if (gtid == null || gtid.isEmpty()) {
            return false;
        }
        for (String g : gtid.split(",", -1)) {
            if (parse(g.trim()) == null) {
                return false;
            }
        }
        return true;
    }

    private static long[] parse(String g) {
        String[] parts = g.split("-", -1);
        if (parts.length != 3) {
            return null;
        }
        long[] v = new long[3];
        for (int i = 0; i < 3; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 20 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            try {
                v[i] = Long.parseUnsignedLong(parts[i]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return v;
    }

    private static Map<Long, long[]> byDomain(String pos) {
        Map<Long, long[]> m = new LinkedHashMap<>();
        if (pos == null || pos.isBlank()) {
            return m;
        }
        for (String g : pos.split(",")) {
            long[] v = parse(g.trim());
            if (v != null) {
                m.merge(v[0], v, (a, b) -> Long.compareUnsigned(a[2], b[2]) >= 0 ? a : b);
            }
        }
        return m;
    }

    /** The position that includes both: per domain, the higher sequence number. */
    static String merge(String a, String b) {
        Map<Long, long[]> m = byDomain(a);
        byDomain(b).forEach((d, v) -> m.merge(d, v, (x, y) -> Long.compareUnsigned(x[2], y[2]) >= 0 ? x : y));
        StringBuilder sb = new StringBuilder();
        for (long[] v : m.values()) {
            sb.append(sb.length() == 0 ? "" : ",").append(Long.toUnsignedString(v[0])).append('-')
                    .append(Long.toUnsignedString(v[1])).append('-').append(Long.toUnsignedString(v[2]));
        }
        return sb.toString();
    }

    /** Whether a server at position {@code pos} has applied everything in {@code required}. */
    static boolean covers(String pos, String required) {
        Map<Long, long[]> have = byDomain(pos);
        for (long[] need : byDomain(required).values()) {
            long[] h = have.get(need[0]);
            if (h == null || Long.compareUnsigned(h[2], need[2]) < 0) {
                return false;
            }
        }
        return true;
    }
}
