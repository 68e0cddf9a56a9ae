package dev.sluice.api.query;

/**
 * The bits of a statement's type mask ({@link QueryInfo#types()}). A statement usually carries several: {@code
 * SELECT @a := 1} is {@link #READ} and {@link #USERVAR_WRITE}; {@code SET autocommit=0} is {@link #SESSION_WRITE}
 * and {@link #DISABLE_AUTOCOMMIT}. The mask of a multi-statement is the union of its statements' masks.
 *
 * <p>A mask with {@link #UNKNOWN} means the classifier did not understand the statement; routers must treat it
 * as a write to the primary ({@link QueryInfo#isWrite()} does so). Constants are plain {@code long} masks so that
 * tests on the hot path are single AND operations; {@link #names(long)} and {@link #parse(String)} convert to and
 * from the {@code READ|WRITE} form used in logs and golden files.
 */
public final class QueryType {
    /** Reads data or metadata and changes nothing (SELECT, SHOW, EXPLAIN, DESCRIBE, DO). */
    public static final long READ = 1L;
    /** Changes data, schema, accounts or server state; must run on the primary. */
    public static final long WRITE = 1L << 1;
    /** Changes session state every backend of the session must share: SET of system variables, USE, SET NAMES. */
    public static final long SESSION_WRITE = 1L << 2;
    /** Assigns a user variable ({@code SET @a=1}, {@code SELECT @a:=1}, {@code SELECT ... INTO @a}). */
    public static final long USERVAR_WRITE = 1L << 3;
    /** Reads a user variable. */
    public static final long USERVAR_READ = 1L << 4;
    /** Reads a system variable ({@code @@x}). */
    public static final long SYSVAR_READ = 1L << 5;
    /** Starts a transaction: BEGIN, START TRANSACTION, XA START, COMMIT AND CHAIN. */
    public static final long BEGIN_TRX = 1L << 6;
    /** Ends a transaction by committing it (COMMIT, XA COMMIT). */
    public static final long COMMIT = 1L << 7;
    /** Ends a transaction by rolling it back; {@code ROLLBACK TO SAVEPOINT} is {@link #SAVEPOINT} instead. */
    public static final long ROLLBACK = 1L << 8;
    /** SAVEPOINT, RELEASE SAVEPOINT, ROLLBACK TO SAVEPOINT: stays inside the open transaction. */
    public static final long SAVEPOINT = 1L << 9;
    /** Turns autocommit on for this session (which also commits an open transaction). */
    public static final long ENABLE_AUTOCOMMIT = 1L << 10;
    /** Turns autocommit off for this session (also set when the value is not a recognisable constant). */
    public static final long DISABLE_AUTOCOMMIT = 1L << 11;
    /** READ ONLY access mode: with {@link #BEGIN_TRX} for this transaction, else for the next or the session. */
    public static final long TRX_READ_ONLY = 1L << 12;
    /** READ WRITE access mode, scoped like {@link #TRX_READ_ONLY}. */
    public static final long TRX_READ_WRITE = 1L << 13;
    /** {@code SET TRANSACTION} without scope: the characteristics apply to the next transaction only. */
    public static final long NEXT_TRX = 1L << 14;
    /** Changes the isolation level (SET TRANSACTION ISOLATION LEVEL, tx_isolation, transaction_isolation). */
    public static final long ISOLATION_LEVEL = 1L << 15;
    /** The isolation level being set is SERIALIZABLE (readwritesplit locks the session to the primary). */
    public static final long SERIALIZABLE = 1L << 16;
    /** CREATE TEMPORARY TABLE; the table is the first of {@link QueryInfo#tables()}. */
    public static final long CREATE_TMP_TABLE = 1L << 17;
    /** DROP TEMPORARY TABLE, or DROP TABLE of a name in the session's temporary tables. */
    public static final long DROP_TMP_TABLE = 1L << 18;
    /** Names a table in the session's temporary tables ({@link QueryContext#temporaryTables()}). */
    public static final long READ_TMP_TABLE = 1L << 19;
    /** Text protocol {@code PREPARE name FROM ...}. */
    public static final long PREPARE_NAMED_STMT = 1L << 20;
    /** Text protocol {@code EXECUTE name} (and {@code EXECUTE IMMEDIATE}). */
    public static final long EXEC_STMT = 1L << 21;
    /** {@code DEALLOCATE PREPARE name} or {@code DROP PREPARE name}. */
    public static final long DEALLOC_PREPARE = 1L << 22;
    /** Commits an open transaction as a side effect: DDL, LOCK/UNLOCK TABLES, GRANT, maintenance statements. */
    public static final long IMPLICIT_COMMIT = 1L << 23;
    /** {@code SELECT ... FOR UPDATE}, {@code LOCK IN SHARE MODE} or {@code FOR SHARE}: must run on the primary. */
    public static final long LOCKING_READ = 1L << 24;
    /** {@code SELECT ... INTO @var | OUTFILE | DUMPFILE | local variable}. */
    public static final long SELECT_INTO = 1L << 25;
    /**
     * A read that only the primary can answer correctly: LAST_INSERT_ID(), the lock functions, sequence
     * functions, FOUND_ROWS(), {@code @@last_insert_id}, {@code @@identity}, SHOW MASTER STATUS.
     */
    public static final long MASTER_READ = 1L << 26;
    /** Uses a function whose result differs between calls or servers (NOW(), RAND(), UUID(), ...). */
    public static final long NON_DETERMINISTIC = 1L << 27;
    /** CALL of a stored procedure (always with {@link #WRITE}: the body may do anything). */
    public static final long CALL = 1L << 28;
    /** Not understood; treat as a write. */
    public static final long UNKNOWN = 1L << 29;

    private static final String[] NAMES = {"READ", "WRITE", "SESSION_WRITE", "USERVAR_WRITE", "USERVAR_READ",
        "SYSVAR_READ", "BEGIN_TRX", "COMMIT", "ROLLBACK", "SAVEPOINT", "ENABLE_AUTOCOMMIT", "DISABLE_AUTOCOMMIT",
        "TRX_READ_ONLY", "TRX_READ_WRITE", "NEXT_TRX", "ISOLATION_LEVEL", "SERIALIZABLE", "CREATE_TMP_TABLE",
        "DROP_TMP_TABLE", "READ_TMP_TABLE", "PREPARE_NAMED_STMT", "EXEC_STMT", "DEALLOC_PREPARE",
        "IMPLICIT_COMMIT", "LOCKING_READ", "SELECT_INTO", "MASTER_READ", "NON_DETERMINISTIC", "CALL", "UNKNOWN"};

    private QueryType() {
    }

    /** The names of the bits set in {@code mask}, in bit order, joined by {@code |}; {@code "NONE"} for 0. */
    public static String names(long mask) {
        if (mask == 0) {
            return "NONE";
        }
        StringBuilder out = new StringBuilder();
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((mask & (1L << bit)) != 0) {
                if (out.length() > 0) {
                    out.append('|');
                }
                out.append(NAMES[bit]);
            }
        }
        return out.toString();
    }

    /**
     * The mask written as {@link #names(long)} writes it (order and case do not matter).
     *
     * @throws IllegalArgumentException for a name that is not a type
     */
    public static long parse(String names) {
        long mask = 0;
        for (String name : names.split("\\|")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("NONE")) {
                continue;
            }
            mask |= maskOf(trimmed);
        }
        return mask;
    }

    private static long maskOf(String name) {
        for (int bit = 0; bit < NAMES.length; bit++) {
            if (NAMES[bit].equalsIgnoreCase(name)) {
                return 1L << bit;
            }
        }
        throw new IllegalArgumentException("query type: " + name + " (expected: one of " + String.join(", ", NAMES)
                + ")");
    }
}
