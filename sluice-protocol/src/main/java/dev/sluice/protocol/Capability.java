package dev.sluice.protocol;

/**
 * Capability flags of the handshake, as one {@code long}: the low 32 bits are the classic flags, the high
 * 32 bits MariaDB's extended capabilities (sent in the handshake's filler bytes when the client does not
 * set {@link #CLIENT_MYSQL}). See https://mariadb.com/kb/en/connection/#capabilities.
 */
public final class Capability {
    public static final long CLIENT_MYSQL = 1L;
    public static final long FOUND_ROWS = 1L << 1;
    public static final long LONG_FLAG = 1L << 2;
    public static final long CONNECT_WITH_DB = 1L << 3;
    public static final long NO_SCHEMA = 1L << 4;
    public static final long COMPRESS = 1L << 5;
    public static final long ODBC = 1L << 6;
    public static final long LOCAL_FILES = 1L << 7;
    public static final long IGNORE_SPACE = 1L << 8;
    public static final long PROTOCOL_41 = 1L << 9;
    public static final long INTERACTIVE = 1L << 10;
    public static final long SSL = 1L << 11;
    public static final long IGNORE_SIGPIPE = 1L << 12;
    public static final long TRANSACTIONS = 1L << 13;
    public static final long RESERVED = 1L << 14;
    public static final long SECURE_CONNECTION = 1L << 15;
    public static final long MULTI_STATEMENTS = 1L << 16;
    public static final long MULTI_RESULTS = 1L << 17;
    public static final long PS_MULTI_RESULTS = 1L << 18;
    public static final long PLUGIN_AUTH = 1L << 19;
    public static final long CONNECT_ATTRS = 1L << 20;
    public static final long PLUGIN_AUTH_LENENC_CLIENT_DATA = 1L << 21;
    public static final long CAN_HANDLE_EXPIRED_PASSWORDS = 1L << 22;
    public static final long SESSION_TRACK = 1L << 23;
    public static final long DEPRECATE_EOF = 1L << 24;
    public static final long OPTIONAL_RESULTSET_METADATA = 1L << 25;
    public static final long ZSTD_COMPRESSION = 1L << 26;
    public static final long QUERY_ATTRIBUTES = 1L << 27;
    public static final long SSL_VERIFY_SERVER_CERT = 1L << 30;
    public static final long REMEMBER_OPTIONS = 1L << 31;

    /** MariaDB extended capabilities (upper 32 bits). */
    public static final long MARIADB_CLIENT_PROGRESS = 1L << 32;
    public static final long MARIADB_CLIENT_COM_MULTI = 1L << 33;
    public static final long MARIADB_CLIENT_STMT_BULK_OPERATIONS = 1L << 34;
    public static final long MARIADB_CLIENT_EXTENDED_TYPE_INFO = 1L << 35;
    public static final long MARIADB_CLIENT_CACHE_METADATA = 1L << 36;

    /**
     * What Sluice offers clients before intersecting with the backends: everything it can forward unchanged.
     * Not offered: compression (never), query attributes and optional metadata (MySQL 8 only), progress
     * reports, COM_MULTI, and metadata caching (it makes the shape of an execute reply depend on per-statement
     * state the reply tracker would have to mirror).
     */
    public static final long PROXY_SUPPORTED = FOUND_ROWS | LONG_FLAG | CONNECT_WITH_DB | NO_SCHEMA | ODBC
            | LOCAL_FILES | IGNORE_SPACE | PROTOCOL_41 | INTERACTIVE | SSL | IGNORE_SIGPIPE | TRANSACTIONS
            | RESERVED | SECURE_CONNECTION | MULTI_STATEMENTS | MULTI_RESULTS | PS_MULTI_RESULTS | PLUGIN_AUTH
            | CONNECT_ATTRS | PLUGIN_AUTH_LENENC_CLIENT_DATA | CAN_HANDLE_EXPIRED_PASSWORDS | SESSION_TRACK
            | DEPRECATE_EOF | REMEMBER_OPTIONS | MARIADB_CLIENT_STMT_BULK_OPERATIONS
            | MARIADB_CLIENT_EXTENDED_TYPE_INFO;

    /** Flags that only matter for the connection setup and are decided per hop, not copied from the client. */
    public static final long PER_HOP = SSL | COMPRESS | ZSTD_COMPRESSION | CONNECT_ATTRS | CONNECT_WITH_DB;

    private Capability() {
    }

    public static boolean has(long flags, long capability) {
        return (flags & capability) != 0;
    }
}
