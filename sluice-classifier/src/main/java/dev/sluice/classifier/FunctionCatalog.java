package dev.sluice.classifier;

import dev.sluice.api.query.QueryType;
import java.util.HashMap;
import java.util.Map;

/**
 * What calling a built-in function means for routing: the {@link QueryType} bits it adds to a statement. Functions
 * not listed add nothing (user-defined functions are not known and count as reads). Immutable.
 */
final class FunctionCatalog {
    /** The function's first argument names a sequence (NEXTVAL(s), LASTVAL(s), SETVAL(s, n)). */
    static final long SEQUENCE_ARGUMENT = 1L << 62;

    private static final Map<String, Long> FLAGS = new HashMap<>();

    static {
        long primary = QueryType.MASTER_READ;
        long nondeterministic = QueryType.NON_DETERMINISTIC;
        for (String name : new String[] {"last_insert_id", "get_lock", "release_lock", "release_all_locks",
            "is_used_lock", "is_free_lock", "found_rows", "row_count", "master_pos_wait", "master_gtid_wait"}) {
            FLAGS.put(name, primary | nondeterministic);
        }
        FLAGS.put("nextval", primary | nondeterministic | QueryType.WRITE | SEQUENCE_ARGUMENT);
        FLAGS.put("setval", primary | nondeterministic | QueryType.WRITE | SEQUENCE_ARGUMENT);
        FLAGS.put("lastval", primary | nondeterministic | SEQUENCE_ARGUMENT);
        for (String name : new String[] {"now", "sysdate", "rand", "uuid", "uuid_short", "sys_guid", "curdate",
            "curtime", "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp",
            "unix_timestamp", "utc_date", "utc_time", "utc_timestamp", "connection_id", "sleep", "benchmark",
            "random_bytes", "user", "current_user", "session_user", "system_user", "current_role", "database",
            "schema", "load_file", "version", "get_format_now"}) {
            FLAGS.putIfAbsent(name, nondeterministic);
        }
    }

    private FunctionCatalog() {
    }

    /** The bits for a function name in lower case (0 when it adds none). */
    static long flags(String lowerName) {
        Long flags = FLAGS.get(lowerName);
        return flags == null ? 0 : flags;
    }

    /**
     * Whether the word at {@code buf[start, end)} is one of the functions MariaDB also accepts without
     * parentheses (CURRENT_TIMESTAMP, LOCALTIME, UTC_DATE, CURRENT_USER...). Checks length and first byte before
     * comparing so ordinary identifiers cost almost nothing.
     */
    static boolean isNiladic(byte[] buf, int start, int end) {
        int length = end - start;
        if (length < 8 || length > 17) {
            return false;
        }
        int first = buf[start] | 0x20;
        if (first != 'c' && first != 'l' && first != 'u') {
            return false;
        }
        for (String name : NILADIC) {
            if (Names.equalsLowerAscii(buf, start, end, name)) {
                return true;
            }
        }
        return false;
    }

    private static final String[] NILADIC = {"current_timestamp", "current_date", "current_time", "localtime",
        "localtimestamp", "utc_date", "utc_time", "utc_timestamp", "current_user", "current_role"};
}
