package dev.sluice.api.reply;

/**
 * An ERR packet's content: the MariaDB error code, the SQLSTATE and the message.
 *
 * @param code     the error code (e.g. 1064)
 * @param sqlState five characters (e.g. {@code 42000}); {@code HY000} when the packet had none
 * @param message  the message text
 */
public record ReplyError(int code, String sqlState, String message) {
    /** ER_CONNECTION_KILLED: the connection was killed (KILL CONNECTION, or the server is going away). */
    public static final int CONNECTION_KILLED = 1927;
    /** ER_SERVER_SHUTDOWN. */
    public static final int SERVER_SHUTDOWN = 1053;
    /** ER_NORMAL_SHUTDOWN. */
    public static final int NORMAL_SHUTDOWN = 1077;
    /** ER_SHUTDOWN_COMPLETE. */
    public static final int SHUTDOWN_COMPLETE = 1079;

    /**
     * Whether the server sent this error on its own rather than in answer to the statement: the connection is
     * being killed or the server is shutting down, and the server closes the connection next. A router treats it
     * like the loss of the connection (MaxScale's {@code is_unexpected_error}).
     */
    public boolean isUnexpected() {
        return code == CONNECTION_KILLED || code == SERVER_SHUTDOWN || code == NORMAL_SHUTDOWN
                || code == SHUTDOWN_COMPLETE;
    }

    @Override
    public String toString() {
        return code + " (" + sqlState + "): " + message;
    }
}
