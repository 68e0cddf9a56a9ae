package dev.sluice.protocol;

import dev.sluice.protocol.message.server.ErrPacket;

/**
 * Every error Sluice itself sends to a client, with the MariaDB error code and SQLSTATE a client library
 * already knows how to handle. Messages use the server's wording where the server has the same error.
 *
 * <p>Codes are server codes, never the client library's own (2000-2999, e.g. 2003 "Can't connect", 2013 "Lost
 * connection"): MariaDB Connector/C 3.x (the {@code mariadb} CLI, sysbench, PHP, Python) reports an ERR packet
 * carrying one of those as its own error 2027 "Received malformed packet" and drops the message. "No server" and
 * "lost connection" are therefore ER_CONNECTION_KILLED (1927, 08S01), as in MaxScale.
 */
public enum ProxyError {
    ACCESS_DENIED(1045, "28000", "Access denied for user '%s'@'%s' (using password: %s)"),
    DB_ACCESS_DENIED(1044, "42000", "Access denied for user '%s'@'%s' to database '%s'"),
    UNKNOWN_DATABASE(1049, "42000", "Unknown database '%s'"),
    UNKNOWN_COMMAND(1047, "08S01", "Unknown command"),
    BAD_HANDSHAKE(1043, "08S01", "Bad handshake"),
    PACKETS_OUT_OF_ORDER(1156, "08S01", "Got packets out of order"),
    NET_READ_ERROR(1158, "08S01", "Got an error reading communication packets"),
    TOO_MANY_CONNECTIONS(1040, "08004", "Too many connections"),
    HOST_BLOCKED(1129, "HY000", "Host '%s' is blocked because of many connection errors"),
    NO_BACKEND(1927, "08S01", "No server of service '%s' is available: %s"),
    BACKEND_CONNECT_FAILED(1927, "08S01", "Could not connect to server '%s': %s"),
    BACKEND_LOST(1927, "08S01", "Lost connection to backend server '%s' during query"),
    BACKEND_AUTH_FAILED(1045, "28000", "Server '%s' rejected the login: %s"),
    UNKNOWN_THREAD(1094, "HY000", "Unknown thread id: %d"),
    NOT_OWNER(1095, "HY000", "You are not owner of thread %d"),
    SHUTTING_DOWN(1053, "08S01", "Server shutdown in progress"),
    SERVICE_UNAVAILABLE(1927, "08S01", "Connection was killed: service '%s' is no longer available"),
    IDLE_TIMEOUT(4031, "HY000", "The client was disconnected by the server because of inactivity"),
    ACCOUNTS_UNAVAILABLE(1045, "28000", "Access denied for user '%s'@'%s': service '%s' %s"),
    SSL_REQUIRED(1045, "28000", "Access denied: TLS is required for user '%s'"),
    PLUGIN_NOT_SUPPORTED(1251, "08004", "Client does not support authentication protocol requested by server"),
    INTERNAL(1815, "HY000", "Internal error: %s");

    private final int code;
    private final String sqlState;
    private final String template;

    ProxyError(int code, String sqlState, String template) {
        this.code = code;
        this.sqlState = sqlState;
        this.template = template;
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }

    /**
     * Whether {@code code} is one of the client library's own codes (CR_MIN_ERROR 2000 to CR_MAX_ERROR 2999), which
     * a proxy must not send: Connector/C turns such an ERR into 2027 "Received malformed packet".
     */
    public static boolean isClientSideCode(int code) {
        return code >= 2000 && code <= 2999;
    }

    /**
     * The ERR a client gets for a module's error: as given, except that a client library's own code becomes
     * {@link #NO_BACKEND}'s 1927 / 08S01, so that the client sees the message.
     */
    public static ErrPacket forClient(int code, String sqlState, String message) {
        return isClientSideCode(code) ? new ErrPacket(NO_BACKEND.code, NO_BACKEND.sqlState, message)
                : new ErrPacket(code, sqlState, message);
    }

    public ErrPacket packet(Object... args) {
        return new ErrPacket(code, sqlState, args.length == 0 ? template : String.format(template, args));
    }
}
