package dev.sluice.testkit.seam;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Builds MariaDB protocol packets (4-byte header + payload) for tests: requests and server replies. Each call
 * returns a new buffer owned by the caller.
 */
public final class TestPackets {
    public static final int COM_QUIT = 0x01;
    public static final int COM_INIT_DB = 0x02;
    public static final int COM_QUERY = 0x03;
    public static final int COM_PING = 0x0e;
    public static final int COM_STMT_PREPARE = 0x16;
    public static final int COM_STMT_EXECUTE = 0x17;
    public static final int COM_STMT_CLOSE = 0x19;

    public static final int STATUS_IN_TRANS = 0x0001;
    public static final int STATUS_AUTOCOMMIT = 0x0002;
    public static final int STATUS_MORE_RESULTS = 0x0008;

    private TestPackets() {
    }

    /** A packet with the payload bytes. */
    public static ByteBuf packet(int sequence, byte[] payload) {
        return Unpooled.buffer(4 + payload.length).writeMediumLE(payload.length).writeByte(sequence)
                .writeBytes(payload);
    }

    /** A command packet: the command byte, then {@code body} (sequence 0). */
    public static ByteBuf command(int command, byte[] body) {
        byte[] payload = new byte[body.length + 1];
        payload[0] = (byte) command;
        System.arraycopy(body, 0, payload, 1, body.length);
        return packet(0, payload);
    }

    public static ByteBuf query(String sql) {
        return command(COM_QUERY, sql.getBytes(StandardCharsets.UTF_8));
    }

    public static ByteBuf prepare(String sql) {
        return command(COM_STMT_PREPARE, sql.getBytes(StandardCharsets.UTF_8));
    }

    /** COM_STMT_EXECUTE of {@code statementId} without parameters. */
    public static ByteBuf execute(long statementId) {
        ByteBuf b = Unpooled.buffer(14).writeMediumLE(10).writeByte(0).writeByte(COM_STMT_EXECUTE);
        b.writeIntLE((int) statementId).writeByte(0).writeIntLE(1);
        return b;
    }

    public static ByteBuf closeStatement(long statementId) {
        ByteBuf b = Unpooled.buffer(9).writeMediumLE(5).writeByte(0).writeByte(COM_STMT_CLOSE);
        return b.writeIntLE((int) statementId);
    }

    public static ByteBuf ping() {
        return command(COM_PING, new byte[0]);
    }

    /** An OK packet: affected rows, insert id (both < 251), status flags, no warnings. */
    public static ByteBuf ok(int sequence, long affectedRows, long insertId, int status) {
        ByteBuf b = Unpooled.buffer(16);
        b.writeMediumLE(0).writeByte(sequence).writeByte(0x00);
        writeLenenc(b, affectedRows);
        writeLenenc(b, insertId);
        b.writeShortLE(status).writeShortLE(0);
        return finish(b);
    }

    public static ByteBuf err(int sequence, int code, String sqlState, String message) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer(13 + msg.length);
        b.writeMediumLE(0).writeByte(sequence).writeByte(0xff).writeShortLE(code).writeByte('#');
        b.writeBytes(sqlState.getBytes(StandardCharsets.US_ASCII), 0, 5).writeBytes(msg);
        return finish(b);
    }

    /** A classic EOF packet (no CLIENT_DEPRECATE_EOF). */
    public static ByteBuf eof(int sequence, int status) {
        return Unpooled.buffer(9).writeMediumLE(5).writeByte(sequence).writeByte(0xfe).writeShortLE(0)
                .writeShortLE(status);
    }

    public static ByteBuf columnCount(int sequence, int count) {
        return packet(sequence, new byte[] {(byte) count});
    }

    /** A column definition of a VARCHAR column named {@code name}. */
    public static ByteBuf columnDefinition(int sequence, String name) {
        ByteBuf b = Unpooled.buffer(64);
        b.writeMediumLE(0).writeByte(sequence);
        writeLenencString(b, "def");
        writeLenencString(b, "");
        writeLenencString(b, "t");
        writeLenencString(b, "t");
        writeLenencString(b, name);
        writeLenencString(b, name);
        b.writeByte(0x0c).writeShortLE(33).writeIntLE(255).writeByte(0xfd).writeShortLE(0).writeByte(0)
                .writeShortLE(0);
        return finish(b);
    }

    /** A text-protocol row; a null value is SQL NULL. */
    public static ByteBuf textRow(int sequence, String... values) {
        ByteBuf b = Unpooled.buffer(64);
        b.writeMediumLE(0).writeByte(sequence);
        for (String v : values) {
            if (v == null) {
                b.writeByte(0xfb);
            } else {
                writeLenencString(b, v);
            }
        }
        return finish(b);
    }

    /** COM_STMT_PREPARE's OK: statement id, column and parameter counts. */
    public static ByteBuf prepareOk(int sequence, long statementId, int columns, int params) {
        ByteBuf b = Unpooled.buffer(16).writeMediumLE(12).writeByte(sequence).writeByte(0);
        return b.writeIntLE((int) statementId).writeShortLE(columns).writeShortLE(params).writeByte(0)
                .writeShortLE(0);
    }

    /** The payload of a packet as text after its first byte (a COM_QUERY's statement). */
    public static String sqlOf(ByteBuf packet) {
        int length = packet.getUnsignedMediumLE(packet.readerIndex());
        return packet.toString(packet.readerIndex() + 5, Math.max(0, length - 1), StandardCharsets.UTF_8);
    }

    /** The first payload byte (the command of a request, or 0x00 OK / 0xff ERR / 0xfe EOF of a reply). */
    public static int firstByte(ByteBuf packet) {
        return packet.getUnsignedByte(packet.readerIndex() + 4);
    }

    public static int sequence(ByteBuf packet) {
        return packet.getUnsignedByte(packet.readerIndex() + 3);
    }

    private static ByteBuf finish(ByteBuf b) {
        return b.setMediumLE(0, b.readableBytes() - 4);
    }

    private static void writeLenenc(ByteBuf b, long v) {
        if (v < 251) {
            b.writeByte((int) v);
        } else if (v < 0x10000) {
            b.writeByte(0xfc).writeShortLE((int) v);
        } else if (v < 0x1000000) {
            b.writeByte(0xfd).writeMediumLE((int) v);
        } else {
            b.writeByte(0xfe).writeLongLE(v);
        }
    }

    private static void writeLenencString(ByteBuf b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeLenenc(b, bytes.length);
        b.writeBytes(bytes);
    }
}
