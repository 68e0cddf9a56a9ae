package dev.sluice.api.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A MariaDB GTID position such as {@code 0-1-42,1-3-7}: per replication domain, the last GTID
 * ({@code domain-server_id-sequence}). What {@code gtid_current_pos}, {@code gtid_binlog_pos} and
 * {@code @@last_gtid} report; shared by the monitor (promotion ranking, catching up) and the router (causal
 * reads). Immutable. Numbers are unsigned 32-bit (domain, server id) and 64-bit (sequence) values.
 */
public final class GtidPosition {
    /** One domain's last GTID. */
    public record Gtid(long domain, long serverId, long sequence) {
        @Override
        public String toString() {
            return Long.toUnsignedString(domain) + "-" + Long.toUnsignedString(serverId) + "-"
                    + Long.toUnsignedString(sequence);
        }
    }

    public static final GtidPosition EMPTY = new GtidPosition(Map.of());

    private final Map<Long, Gtid> byDomain;

    private GtidPosition(Map<Long, Gtid> byDomain) {
        this.byDomain = byDomain;
    }

    /**
     * Reads a position, skipping parts that are not GTIDs; per domain the highest sequence wins. Null or blank
     * text is the empty position.
     */
    public static GtidPosition parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Map<Long, Gtid> m = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            Gtid g = gtid(part.trim());
            if (g != null) {
                m.merge(g.domain(), g, GtidPosition::later);
            }
        }
        return new GtidPosition(Collections.unmodifiableMap(m));
    }

    /**
     * Whether the text is a non-empty GTID position with nothing else in it (digits, dashes and commas only: safe to
     * put in a quoted SQL literal).
     */
    public static boolean isValid(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        for (String part : text.split(",", -1)) {
            if (gtid(part.trim()) == null) {
                return false;
            }
        }
        return true;
    }

    private static Gtid gtid(String g) {
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
        return new Gtid(v[0], v[1], v[2]);
    }

    private static Gtid later(Gtid a, Gtid b) {
        return Long.compareUnsigned(a.sequence(), b.sequence()) >= 0 ? a : b;
    }

    public boolean isEmpty() {
        return byDomain.isEmpty();
    }

    /** The domains' last GTIDs, in the order the text listed them. */
    public List<Gtid> gtids() {
        return List.copyOf(byDomain.values());
    }

    /** The last sequence number of {@code domain}, or -1 when the position has none there. */
    public long sequence(long domain) {
        Gtid g = byDomain.get(domain);
        return g == null ? -1 : g.sequence();
    }

    /** Whether a server at this position has applied everything in {@code required}, in every domain of it. */
    public boolean covers(GtidPosition required) {
        for (Gtid need : required.byDomain.values()) {
            Gtid have = byDomain.get(need.domain());
            if (have == null || Long.compareUnsigned(have.sequence(), need.sequence()) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The position that includes both: per domain, the higher sequence number. */
    public GtidPosition merge(GtidPosition other) {
        Map<Long, Gtid> m = new LinkedHashMap<>(byDomain);
        other.byDomain.values().forEach(g -> m.merge(g.domain(), g, GtidPosition::later));
        return new GtidPosition(Collections.unmodifiableMap(m));
    }

    /** The sum of the domains' sequence numbers: a rough measure of how far a server got (promotion ranking). */
    public long sequenceSum() {
        long sum = 0;
        for (Gtid g : byDomain.values()) {
            sum += g.sequence();
        }
        return sum;
    }

    /** This position's GTIDs beyond {@code other}, per domain (errant transactions of a replica); empty when none. */
    public List<Gtid> beyond(GtidPosition other) {
        List<Gtid> out = new ArrayList<>();
        for (Gtid g : byDomain.values()) {
            if (Long.compareUnsigned(g.sequence(), Math.max(0, other.sequence(g.domain()))) > 0) {
                out.add(g);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GtidPosition p && p.byDomain.equals(byDomain);
    }

    @Override
    public int hashCode() {
        return byDomain.hashCode();
    }

    /** The position as MariaDB writes it: {@code domain-server-sequence} per domain, comma separated. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Gtid g : byDomain.values()) {
            sb.append(sb.length() == 0 ? "" : ",").append(g);
        }
        return sb.toString();
    }
}
