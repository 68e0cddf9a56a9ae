package dev.sluice.api.reply;

/**
 * A backend's reply to one request, as far as it has arrived: what the protocol layer learned from the packets
 * it framed, so that routers and filters never parse reply bytes (MaxScale's {@code mxs::Reply}).
 *
 * <p>The protocol layer updates one instance per backend connection as each packet arrives and hands it up with
 * that packet ({@code clientReply(packet, endpoint, reply)}). It is a live view: read it during the call, copy what
 * you need later. It starts afresh when the next request's reply starts. Confined to the session's worker.
 *
 * <p>A multi-result reply (a multi-statement, a {@code CALL}) is one reply: {@link #isComplete()} turns true with its
 * last packet; counts add up over its results; the OK fields ({@link #affectedRows()}, {@link #serverStatus()}, …)
 * are those of the latest OK or EOF.
 */
public interface Reply {

    /** Where the reply is: what the last packet was part of. */
    enum State {
        /** No packet of this reply has arrived yet (or the next result of a multi-result reply starts). */
        START,
        /** Column definitions of a result set. */
        COLUMN_DEFINITIONS,
        /** Rows of a result set. */
        ROWS,
        /** The parameter and column definitions that follow a COM_STMT_PREPARE's OK. */
        PREPARE,
        /** The server asked for a LOCAL INFILE upload: the client's data goes to the server next. */
        LOAD_DATA,
        /** The reply is complete. */
        DONE
    }

    /** What the reply (so far) is. */
    enum Kind {
        /** No packet yet. */
        NONE,
        /** An OK (also a COM_STMT_PREPARE's, or the end of a LOCAL INFILE upload). */
        OK,
        /** An ERR: see {@link #error()}. */
        ERROR,
        /** A result set (column definitions, rows, end). */
        RESULT_SET
    }

    State state();

    /** Whether the packet being handed up ends the reply: no more packets come for this request. */
    default boolean isComplete() {
        return state() == State.DONE;
    }

    /** The command the reply answers (the protocol's COM_* byte), or -1 when unknown. */
    int command();

    /** What the reply (so far) is: for a multi-result reply, the latest result's kind. */
    Kind kind();

    /** Whether the reply ended (so far) in an OK. */
    default boolean isOk() {
        return kind() == Kind.OK;
    }

    /** Whether the reply is an ERR (also the ERR ending a result set or a multi-result reply). */
    default boolean isError() {
        return kind() == Kind.ERROR;
    }

    default boolean isResultSet() {
        return kind() == Kind.RESULT_SET;
    }

    /** The error when {@link #isError()}, else null. */
    ReplyError error();

    /**
     * Whether the packet being handed up is an OK packet: an OK answering a command (also one ending a result of a
     * multi-result reply, or after a LOCAL INFILE upload) or, with CLIENT_DEPRECATE_EOF, the OK with the 0xFE header
     * that ends a result set. Not a COM_STMT_PREPARE's OK, not EOF packets, rows or binlog events.
     */
    boolean packetIsOk();

    /**
     * The server status flags of the latest OK or EOF of this reply (IN_TRANS = 1, AUTOCOMMIT = 2,
     * MORE_RESULTS_EXISTS = 8, CURSOR_EXISTS = 64, SESSION_STATE_CHANGED = 0x4000 …); before any, those of the
     * previous reply.
     */
    int serverStatus();

    /** Whether the latest status flags say a transaction is open. */
    default boolean inTransaction() {
        return (serverStatus() & 1) != 0;
    }

    /** Affected rows of the latest OK. */
    long affectedRows();

    /** Last insert id of the latest OK. */
    long lastInsertId();

    /** Warnings of the latest OK or EOF. */
    int warnings();

    /** Rows read so far, over all results of the reply. */
    long rowCount();

    /** Column count of the latest result set (or of a prepared statement's result). */
    int fieldCount();

    /** The statement id a COM_STMT_PREPARE's OK generated, or -1. */
    long generatedId();

    /** The parameter count a COM_STMT_PREPARE's OK announced. */
    int paramCount();

    /**
     * The session state changes of the latest OK of this reply ({@link SessionChanges#NONE} when it carried none,
     * or the connection does not track the session state).
     */
    SessionChanges sessionChanges();

    /**
     * The GTID of the latest write an OK of this reply reported ({@code last_gtid}, or MySQL's GTID entry): also from
     * an intermediate OK of a multi-statement or CALL. Null when none did.
     */
    String lastGtid();

    /** Whether the server asked for a LOCAL INFILE upload in this reply. */
    boolean localInfileRequested();
}
