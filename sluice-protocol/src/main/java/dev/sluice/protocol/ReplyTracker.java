package dev.sluice.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * Follows one backend connection's reply to the command in flight, packet by packet, without decoding rows:
 * it knows when the reply is complete, whether it was OK, ERR or a result set, the final server status
 * flags (transaction state, more results) and whether the server asked for a LOCAL INFILE upload.
 * Confined to the event loop of the connection it belongs to.
 *
 * <p>Result set framing (https://mariadb.com/kb/en/result-set-packets/): a column count, that many column
 * definitions, an EOF unless CLIENT_DEPRECATE_EOF, rows, then an EOF (or, with DEPRECATE_EOF, an OK packet
 * with the 0xFE header) or an ERR. A packet starting with 0xFE is a terminator only if its payload is shorter
 * than 16 MiB - 1, since a row may begin with an 8-byte lenenc length. With SERVER_MORE_RESULTS_EXISTS the
 * next result follows. A COM_STMT_EXECUTE whose flags ask for a cursor ends after the column definitions when
 * their EOF (or, with DEPRECATE_EOF, an OK with the 0xFE header) carries SERVER_STATUS_CURSOR_EXISTS: no rows
 * follow, COM_STMT_FETCH reads them. Only there: a stored procedure that opened a cursor of its own leaves that
 * flag set on every result set it sends afterwards, and their rows do follow.
 */
public final class ReplyTracker {

    /** What the tracker expects next. */
    public enum State {
        IDLE, FIRST_PACKET, PREPARE_PARAMS, PREPARE_PARAMS_EOF, PREPARE_COLUMNS, PREPARE_COLUMNS_EOF,
        COLUMN_DEFINITIONS, COLUMNS_EOF, ROWS, FIELD_LIST, STATISTICS, LOCAL_INFILE_UPLOAD, STREAM
    }

    /** How the last reply ended. */
    public enum Outcome { NONE, OK, ERR, RESULT_SET }

    private final boolean deprecateEof;
    private State state = State.IDLE;
    private int command = -1;
    private boolean cursorRequested; // the command in flight is a COM_STMT_EXECUTE asking for a cursor
    private long remaining;
    private int prepareColumns;
    private boolean continuation;
    private Outcome outcome = Outcome.NONE;
    private int statusFlags = ServerStatusFlag.AUTOCOMMIT;
    private int errorCode;
    private long preparedStatementId = -1;
    private boolean lastPacketOk;
    // commands sent while an earlier reply was still in flight, oldest first; CURSOR_REQUESTED or'ed in
    private final ArrayDeque<Integer> pipelined = new ArrayDeque<>(2);
    private static final int CURSOR_REQUESTED = 1 << 8;
    // COM_STMT_EXECUTE flags: CURSOR_TYPE_READ_ONLY, CURSOR_TYPE_FOR_UPDATE, CURSOR_TYPE_SCROLLABLE
    private static final int CURSOR_TYPES = 0x07;

    public ReplyTracker(boolean deprecateEof) {
        this.deprecateEof = deprecateEof;
    }

    /**
     * Records that {@code command} was sent; commands that get no reply leave the tracker idle. A command sent
     * while a reply is still expected (clients pipeline, e.g. MariaDB Connector/J sends COM_STMT_PREPARE and
     * COM_STMT_EXECUTE back to back) is queued: the server answers in order, so its reply follows the current one.
     */
    public void commandSent(int command) {
        commandSent(command, false);
    }

    /**
     * As {@link #commandSent(int)}, with the first packet of the request (only read): for a COM_STMT_EXECUTE its
     * flags tell whether the server is asked to open a cursor (https://mariadb.com/kb/en/com_stmt_execute/).
     */
    public void commandSent(int command, ByteBuf packet) {
        commandSent(command, command == Command.COM_STMT_EXECUTE
                && Packets.payloadLength(packet) > 5
                && (packet.getUnsignedByte(packet.readerIndex() + Packets.HEADER_SIZE + 5) & CURSOR_TYPES) != 0);
    }

    private void commandSent(int command, boolean opensCursor) {
        if (isBusy() && state != State.STREAM) {
            if (!Command.expectsNoReply(command)) {
                pipelined.add(opensCursor ? command | CURSOR_REQUESTED : command);
            }
            return;
        }
        start(command, opensCursor);
    }

    private void start(int command, boolean opensCursor) {
        this.command = command;
        cursorRequested = opensCursor;
        outcome = Outcome.NONE;
        errorCode = 0;
        continuation = false;
        if (Command.expectsNoReply(command)) {
            state = State.IDLE;
            return;
        }
        state = switch (command) {
            case Command.COM_STMT_FETCH -> State.ROWS;
            case Command.COM_FIELD_LIST -> State.FIELD_LIST;
            case Command.COM_STATISTICS -> State.STATISTICS;
            case Command.COM_BINLOG_DUMP, Command.COM_BINLOG_DUMP_GTID -> State.STREAM;
            default -> State.FIRST_PACKET;
        };
    }

    /** The client finished a LOCAL INFILE upload (sent its empty packet); the server's OK or ERR is next. */
    public void uploadFinished() {
        if (state == State.LOCAL_INFILE_UPLOAD) {
            state = State.FIRST_PACKET;
        }
    }

    /**
     * Consumes one physical packet of the reply (the buffer is only read, never released).
     *
     * @return true when this packet completed the reply
     */
    public boolean onPacket(ByteBuf packet) {
        if (state == State.IDLE && !pipelined.isEmpty()) {
            int next = pipelined.poll();
            start(next & ~CURSOR_REQUESTED, (next & CURSOR_REQUESTED) != 0);
        }
        lastPacketOk = false;
        int length = Packets.payloadLength(packet);
        if (continuation) {
            continuation = length == Packets.MAX_PAYLOAD;
            return false;
        }
        continuation = length == Packets.MAX_PAYLOAD;
        int first = length == 0 ? -1 : packet.getUnsignedByte(packet.readerIndex() + Packets.HEADER_SIZE);
        switch (state) {
            case IDLE, LOCAL_INFILE_UPLOAD:
                return false;
            case STREAM:
                // a binlog stream: events until an ERR (also the refusal of a client without the privilege)
                // or, for a non-blocking dump, an EOF
                if (first == 0xff) {
                    return error(packet);
                }
                if (first == 0xfe && length < 9) {
                    outcome = Outcome.OK;
                    return done();
                }
                return false;
            case FIRST_PACKET:
                return onFirstPacket(packet, first, length);
            case STATISTICS:
                if (first == 0xff) {
                    return error(packet);
                }
                outcome = Outcome.OK;
                return done();
            case FIELD_LIST:
                if (first == 0xff) {
                    return error(packet);
                }
                if (first == 0xfe && length < Packets.MAX_PAYLOAD) {
                    readTerminatorStatus(packet, length);
                    outcome = Outcome.RESULT_SET;
                    return done();
                }
                return false;
            case PREPARE_PARAMS:
                if (--remaining == 0) {
                    state = deprecateEof ? afterPrepareParams() : State.PREPARE_PARAMS_EOF;
                    return state == State.IDLE;
                }
                return false;
            case PREPARE_PARAMS_EOF:
                state = afterPrepareParams();
                return state == State.IDLE;
            case PREPARE_COLUMNS:
                if (--remaining == 0) {
                    if (deprecateEof) {
                        return done();
                    }
                    state = State.PREPARE_COLUMNS_EOF;
                }
                return false;
            case PREPARE_COLUMNS_EOF:
                return done();
            case COLUMN_DEFINITIONS:
                if (--remaining == 0) {
                    state = deprecateEof ? State.ROWS : State.COLUMNS_EOF;
                }
                return false;
            case COLUMNS_EOF:
                if (cursorRequested && length >= 5
                        && (packet.getUnsignedShortLE(packet.readerIndex() + Packets.HEADER_SIZE + 3)
                        & ServerStatusFlag.CURSOR_EXISTS) != 0) {
                    // COM_STMT_EXECUTE that opened a cursor: no rows follow, COM_STMT_FETCH reads them
                    readTerminatorStatus(packet, length);
                    outcome = Outcome.RESULT_SET;
                    return done();
                }
                state = State.ROWS;
                return false;
            case ROWS:
                if (first == 0xff) {
                    return error(packet);
                }
                if (first == 0xfe && length < Packets.MAX_PAYLOAD) {
                    readTerminatorStatus(packet, length);
                    outcome = Outcome.RESULT_SET;
                    return endOfResult();
                }
                return false;
            default:
                throw new IllegalStateException("state: " + state);
        }
    }

    private boolean onFirstPacket(ByteBuf packet, int first, int length) {
        switch (first) {
            case 0x00:
                if (command == Command.COM_STMT_PREPARE) {
                    int base = packet.readerIndex() + Packets.HEADER_SIZE;
                    preparedStatementId = packet.getUnsignedIntLE(base + 1);
                    prepareColumns = packet.getUnsignedShortLE(base + 5);
                    int params = packet.getUnsignedShortLE(base + 7);
                    outcome = Outcome.OK;
                    if (params > 0) {
                        remaining = params;
                        state = State.PREPARE_PARAMS;
                        return false;
                    }
                    state = afterPrepareParams();
                    return state == State.IDLE;
                }
                statusFlags = okStatus(packet);
                outcome = Outcome.OK;
                lastPacketOk = true;
                return endOfResult();
            case 0xff:
                return error(packet);
            case 0xfb:
                if (command == Command.COM_QUERY) {
                    state = State.LOCAL_INFILE_UPLOAD;
                    return false;
                }
                break;
            case 0xfe:
                if (length < 9) {
                    readTerminatorStatus(packet, length);
                    // with CLIENT_DEPRECATE_EOF the server sends an OK (0xFE header) wherever an EOF would be
                    lastPacketOk = deprecateEof;
                    outcome = Outcome.OK;
                    return done();
                }
                break;
            default:
                break;
        }
        // a result set: the packet holds the column count
        ByteBuf p = packet.duplicate().skipBytes(Packets.HEADER_SIZE);
        remaining = LengthEncoded.readInt(p);
        state = remaining > 0 ? State.COLUMN_DEFINITIONS : State.ROWS;
        return false;
    }

    private State afterPrepareParams() {
        if (prepareColumns > 0) {
            remaining = prepareColumns;
            return State.PREPARE_COLUMNS;
        }
        return State.IDLE;
    }

    private boolean error(ByteBuf packet) {
        errorCode = packet.getUnsignedShortLE(packet.readerIndex() + Packets.HEADER_SIZE + 1);
        outcome = Outcome.ERR;
        // an ERR ends the whole reply, including any further results of a multi-statement
        statusFlags &= ~ServerStatusFlag.MORE_RESULTS_EXISTS;
        return done();
    }

    private boolean endOfResult() {
        if ((statusFlags & ServerStatusFlag.MORE_RESULTS_EXISTS) != 0) {
            state = State.FIRST_PACKET;
            return false;
        }
        return done();
    }

    private boolean done() {
        state = State.IDLE; // a pipelined command's reply starts with the next packet (see onPacket)
        return true;
    }

    private void readTerminatorStatus(ByteBuf packet, int length) {
        int base = packet.readerIndex() + Packets.HEADER_SIZE;
        if (deprecateEof && (state == State.ROWS || state == State.FIELD_LIST)) {
            // with CLIENT_DEPRECATE_EOF the terminator is an OK packet carrying the 0xFE header
            lastPacketOk = true;
            statusFlags = okStatus(packet);
        } else if (length >= 5) {
            // classic EOF: 0xFE, warnings(2), status(2)
            statusFlags = packet.getUnsignedShortLE(base + 3);
        }
    }

    private static int okStatus(ByteBuf packet) {
        ByteBuf p = packet.duplicate().skipBytes(Packets.HEADER_SIZE + 1);
        LengthEncoded.readInt(p);
        LengthEncoded.readInt(p);
        return p.readUnsignedShortLE();
    }

    /**
     * Whether the packet last passed to {@link #onPacket} is an OK packet: an OK answering a command (also the one
     * after a LOCAL INFILE upload or ending one result of a multi-result reply) or, with CLIENT_DEPRECATE_EOF, the
     * OK with the 0xFE header that ends a result set. Not for a COM_STMT_PREPARE's OK, EOF packets, binlog events.
     */
    public boolean lastPacketWasOk() {
        return lastPacketOk;
    }

    public State state() {
        return state;
    }

    /** True while a reply is still expected (the connection is busy). */
    public boolean isBusy() {
        return state != State.IDLE || !pipelined.isEmpty();
    }

    public boolean isLocalInfileUpload() {
        return state == State.LOCAL_INFILE_UPLOAD;
    }

    public Outcome outcome() {
        return outcome;
    }

    public int statusFlags() {
        return statusFlags;
    }

    public boolean inTransaction() {
        return (statusFlags & ServerStatusFlag.IN_TRANS) != 0;
    }

    public int errorCode() {
        return errorCode;
    }

    public int command() {
        return command;
    }

    /** The statement id of the last successful COM_STMT_PREPARE, or -1. */
    public long preparedStatementId() {
        return preparedStatementId;
    }
}
