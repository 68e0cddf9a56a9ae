package dev.sluice.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Builds physical packets (header + payload) for codec tests; the caller releases them. */
final class PacketsForTests {
    private PacketsForTests() {
    }

    static ByteBuf packet(int sequence, int... payload) {
        ByteBuf b = Unpooled.buffer(4 + payload.length);
        b.writeMediumLE(payload.length).writeByte(sequence);
        for (int x : payload) {
            b.writeByte(x);
        }
        return b;
    }

    static ByteBuf packet(int sequence, byte[] payload) {
        return Unpooled.buffer(4 + payload.length).writeMediumLE(payload.length).writeByte(sequence)
                .writeBytes(payload);
    }

    static ByteBuf ok(int status) {
        return packet(1, 0x00, 0, 0, status & 0xff, status >> 8, 0, 0);
    }

    static ByteBuf err(int code) {
        return packet(1, 0xff, code & 0xff, code >> 8, '#', 'H', 'Y', '0', '0', '0', 'x');
    }

    static ByteBuf eof(int status) {
        return packet(1, 0xfe, 0, 0, status & 0xff, status >> 8);
    }

    /** The terminator of a result set with CLIENT_DEPRECATE_EOF: an OK packet with the 0xFE header. */
    static ByteBuf okEof(int status) {
        return packet(1, 0xfe, 0, 0, status & 0xff, status >> 8, 0, 0);
    }

    static ByteBuf columnCount(int n) {
        return packet(1, n);
    }

    static ByteBuf columnDefinition() {
        return packet(2, 3, 'd', 'e', 'f', 0, 0, 0, 1, 'c', 0, 0x0c, 0x2d, 0, 0, 0, 0, 0, 0xfd, 0, 0, 0, 0, 0);
    }

    /** COM_STMT_EXECUTE of statement 1 without parameters; {@code flags} 1 asks for a read-only cursor. */
    static ByteBuf execute(int flags) {
        return packet(0, Command.COM_STMT_EXECUTE, 1, 0, 0, 0, flags, 1, 0, 0, 0);
    }

    static ByteBuf row(String value) {
        byte[] v = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer(5 + v.length);
        b.writeMediumLE(v.length + 1).writeByte(3).writeByte(v.length).writeBytes(v);
        return b;
    }
}
