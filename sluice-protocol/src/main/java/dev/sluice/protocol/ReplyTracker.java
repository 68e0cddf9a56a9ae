package dev.sluice.protocol;

import dev.sluice.api.reply.Reply;
import dev.sluice.api.reply.ReplyError;
import dev.sluice.api.reply.SessionChanges;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.protocol.message.server.SessionTrack;
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
 * next result follows. A COM_STMT_EXECUTE that opens a cursor ends after the column definitions: their EOF
 * (or, with DEPRECATE_EOF, an OK with the 0xFE header) carries SERVER_STATUS_CURSOR_EXISTS and no rows follow.
 *
 * <p>It is also the connection's {@link Reply}: what it learned of the reply in progress (OK fields, the error,
 * row and column counts, a prepared statement's id, session state changes), read once per packet here and handed
 * up with the packet, so that no module parses reply bytes. OK packets are decoded (they are short); rows are
 * counted, never decoded.
 */
public final class ReplyTracker implements Reply {

    /** What the tracker expects next. */
    public enum State {
        IDLE, FIRST_PACKET, PREPARE_PARAMS, PREPARE_PARAMS_EOF, PREPARE_COLUMNS, PREPARE_COLUMNS_EOF,
        COLUMN_DEFINITIONS, COLUMNS_EOF, ROWS, FIELD_LIST, STATISTICS, LOCAL_INFILE_UPLOAD, STREAM
    }

    private final boolean deprecateEof;
    private final boolean sessionTrack;
    private State state = State.IDLE;
    private int command = -1;
    private long remaining;
    private int prepareColumns;
    private boolean continuation;
    private int statusFlags = ServerStatusFlag.AUTOCOMMIT;
    private boolean lastPacketOk;
    // commands sent while an earlier reply was still in flight, oldest first
    private final ArrayDeque<Integer> pipelined = new ArrayDeque<>(2);

    // the Reply: reset when a reply starts
    private Kind kind = Kind.NONE;
    private ReplyError error;
    private long affectedRows;
    private long lastInsertId;
    private int warnings;
    private long rows;
    private int fields;
    private long preparedStatementId = -1;
    private int preparedParams;
    private SessionChanges changes = SessionChanges.NONE;
    private String lastGtid;
    private boolean localInfile;

    /**
     * @param deprecateEof whether CLIENT_DEPRECATE_EOF was negotiated (result sets end with an OK, not an EOF)
     * @param sessionTrack whether CLIENT_SESSION_TRACK was negotiated (OK packets may carry session state changes)
     */
    public ReplyTracker(boolean deprecateEof, boolean sessionTrack) {
        this.deprecateEof = deprecateEof;
        this.sessionTrack = sessionTrack;
    }

    public ReplyTracker(boolean deprecateEof) {
        this(deprecateEof, false);
    }

    /**
     * Records that {@code command} was sent; commands that get no reply leave the tracker idle. A command sent
     * while a reply is still expected (clients pipeline, e.g. MariaDB Connector/J sends COM_STMT_PREPARE and
     * COM_STMT_EXECUTE back to back) is queued: the server answers in order, so its reply follows the current one.
     */
    public void commandSent(int command) {
        if (isBusy() && state != State.STREAM) {
            if (!Command.expectsNoReply(command)) {
                pipelined.add(command);
            }
            return;
        }
        start(command);
    }

    private void start(int command) {
        this.command = command;
        kind = Kind.NONE;
        error = null;
        affectedRows = 0;
        lastInsertId = 0;
        warnings = 0;
        rows = 0;
        fields = 0;
        preparedStatementId = -1;
        preparedParams = 0;
        changes = SessionChanges.NONE;
        lastGtid = null;
        localInfile = false;
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
            start(pipelined.poll());
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
                    kind = Kind.OK;
                    return done();
                }
                rows++;
                return false;
            case FIRST_PACKET:
                return onFirstPacket(packet, first, length);
            case STATISTICS:
                if (first == 0xff) {
                    return error(packet);
                }
                kind = Kind.OK;
                return done();
            case FIELD_LIST:
                if (first == 0xff) {
                    return error(packet);
                }
                if (first == 0xfe && length < Packets.MAX_PAYLOAD) {
                    readTerminator(packet, length);
                    kind = Kind.RESULT_SET;
                    return done();
                }
                fields++;
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
                if (length >= 5 && (packet.getUnsignedShortLE(packet.readerIndex() + Packets.HEADER_SIZE + 3)
                        & ServerStatusFlag.CURSOR_EXISTS) != 0) {
                    // COM_STMT_EXECUTE that opened a cursor: no rows follow, COM_STMT_FETCH reads them
                    readTerminator(packet, length);
                    kind = Kind.RESULT_SET;
                    return done();
                }
                state = State.ROWS;
                return false;
            case ROWS:
                if (first == 0xff) {
                    return error(packet);
                }
                if (first == 0xfe && length < Packets.MAX_PAYLOAD) {
                    readTerminator(packet, length);
                    kind = Kind.RESULT_SET;
                    return endOfResult();
                }
                rows++;
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
                    preparedParams = params;
                    fields = prepareColumns;
                    if (length >= 12) {
                        warnings = packet.getUnsignedShortLE(base + 10);
                    }
                    kind = Kind.OK;
                    if (params > 0) {
                        remaining = params;
                        state = State.PREPARE_PARAMS;
                        return false;
                    }
                    state = afterPrepareParams();
                    return state == State.IDLE;
                }
                readOk(packet);
                kind = Kind.OK;
                lastPacketOk = true;
                return endOfResult();
            case 0xff:
                return error(packet);
            case 0xfb:
                if (command == Command.COM_QUERY) {
                    state = State.LOCAL_INFILE_UPLOAD;
                    localInfile = true;
                    return false;
                }
                break;
            case 0xfe:
                if (length < 9) {
                    // with CLIENT_DEPRECATE_EOF the server sends an OK (0xFE header) wherever an EOF would be
                    if (deprecateEof) {
                        readOk(packet);
                    } else if (length >= 5) {
                        readEof(packet);
                    }
                    lastPacketOk = deprecateEof;
                    kind = Kind.OK;
                    return done();
                }
                break;
            default:
                break;
        }
        // a result set: the packet holds the column count
        ByteBuf p = packet.duplicate().skipBytes(Packets.HEADER_SIZE);
        remaining = LengthEncoded.readInt(p);
        fields = (int) remaining;
        kind = Kind.RESULT_SET;
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
        ErrPacket err = ErrPacket.decode(packet);
        error = new ReplyError(err.errorCode(), err.sqlState(), err.message());
        kind = Kind.ERROR;
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

    private void readTerminator(ByteBuf packet, int length) {
        if (deprecateEof && (state == State.ROWS || state == State.FIELD_LIST)) {
            // with CLIENT_DEPRECATE_EOF the terminator is an OK packet carrying the 0xFE header
            lastPacketOk = true;
            readOk(packet);
        } else if (length >= 5) {
            readEof(packet);
        }
    }

    /** Classic EOF: 0xFE, warnings(2), status(2). */
    private void readEof(ByteBuf packet) {
        int base = packet.readerIndex() + Packets.HEADER_SIZE;
        warnings = packet.getUnsignedShortLE(base + 1);
        statusFlags = packet.getUnsignedShortLE(base + 3);
    }

    /** An OK packet (0x00, or the 0xFE of a DEPRECATE_EOF OK): affected rows, insert id, status, warnings, state. */
    private void readOk(ByteBuf packet) {
        ByteBuf p = packet.duplicate().skipBytes(Packets.HEADER_SIZE + 1);
        affectedRows = LengthEncoded.readInt(p);
        lastInsertId = LengthEncoded.readInt(p);
        statusFlags = p.readUnsignedShortLE();
        warnings = p.isReadable(2) ? p.readUnsignedShortLE() : 0;
        changes = SessionChanges.NONE;
        if (sessionTrack && (statusFlags & ServerStatusFlag.SESSION_STATE_CHANGED) != 0) {
            try {
                changes = SessionTrack.parse(packet);
            } catch (ProtocolException e) {
                // unreadable session state: the reply is still forwarded as it is, the changes are unknown
                changes = SessionChanges.NONE;
            }
            String gtid = changes.lastGtid();
            if (gtid != null) {
                lastGtid = gtid;
            }
        }
    }

    /**
     * Whether the packet last passed to {@link #onPacket} is an OK packet: an OK answering a command (also the one
     * after a LOCAL INFILE upload or ending one result of a multi-result reply) or, with CLIENT_DEPRECATE_EOF, the
     * OK with the 0xFE header that ends a result set. Not for a COM_STMT_PREPARE's OK, EOF packets, binlog events.
     */
    public boolean lastPacketWasOk() {
        return lastPacketOk;
    }


    /** True while a reply is still expected (the connection is busy). */
    public boolean isBusy() {
        return state != State.IDLE || !pipelined.isEmpty();
    }

    public boolean isLocalInfileUpload() {
        return state == State.LOCAL_INFILE_UPLOAD;
    }

    public int statusFlags() {
        return statusFlags;
    }

    @Override
    public boolean inTransaction() {
        return (statusFlags & ServerStatusFlag.IN_TRANS) != 0;
    }

    /** The error code when the reply is an ERR, else 0. */
    public int errorCode() {
        return error == null ? 0 : error.code();
    }

    // ---- Reply

    @Override
    public Reply.State state() {
        return switch (state) {
            case IDLE -> command == -1 && kind == Kind.NONE ? Reply.State.START : Reply.State.DONE;
            case FIRST_PACKET, STATISTICS -> Reply.State.START;
            case PREPARE_PARAMS, PREPARE_PARAMS_EOF, PREPARE_COLUMNS, PREPARE_COLUMNS_EOF -> Reply.State.PREPARE;
            case COLUMN_DEFINITIONS, COLUMNS_EOF, FIELD_LIST -> Reply.State.COLUMN_DEFINITIONS;
            case ROWS, STREAM -> Reply.State.ROWS;
            case LOCAL_INFILE_UPLOAD -> Reply.State.LOAD_DATA;
        };
    }

    /** Where the framing is, in detail. */
    public State framingState() {
        return state;
    }

    @Override
    public int command() {
        return command;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public ReplyError error() {
        return error;
    }

    @Override
    public boolean packetIsOk() {
        return lastPacketOk;
    }

    @Override
    public int serverStatus() {
        return statusFlags;
    }

    @Override
    public long affectedRows() {
        return affectedRows;
    }

    @Override
    public long lastInsertId() {
        return lastInsertId;
    }

    @Override
    public int warnings() {
        return warnings;
    }

    @Override
    public long rowCount() {
        return rows;
    }

    @Override
    public int fieldCount() {
        return fields;
    }

    @Override
    public long generatedId() {
        return preparedStatementId;
    }

    @Override
    public int paramCount() {
        return preparedParams;
    }

    @Override
    public SessionChanges sessionChanges() {
        return changes;
    }

    @Override
    public String lastGtid() {
        return lastGtid;
    }

    @Override
    public boolean localInfileRequested() {
        return localInfile;
    }

    /** The statement id of the last successful COM_STMT_PREPARE, or -1. */
    public long preparedStatementId() {
        return preparedStatementId;
    }

    @Override
    public String toString() {
        return "Reply[" + state() + ", " + kind + (error != null ? " " + error : "") + ", status=0x"
                + Integer.toHexString(statusFlags) + ", rows=" + rows + "]";
    }
}
