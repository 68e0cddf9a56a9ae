package dev.sluice.modules.readwritesplit;

import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;

/**
 * Rewrites of binary-protocol statement packets for one backend connection: its own statement id, and the
 * parameter types a connection must get with its first execution
 * (https://mariadb.com/kb/en/com_stmt_execute/). Every COM_STMT_* request carries the statement id in payload
 * bytes 1-4.
 */
final class StatementPackets {
    private static final int ID_OFFSET = Packets.HEADER_SIZE + 1;

    private StatementPackets() {
    }

    static long statementId(ByteBuf packet) {
        if (Packets.payloadLength(packet) < 5) {
            return -1;
        }
        return packet.getUnsignedIntLE(packet.readerIndex() + ID_OFFSET);
    }

    /** A copy of {@code packet} (not consumed) carrying {@code id}. */
    static ByteBuf copyWithId(ByteBuf packet, long id) {
        ByteBuf copy = packet.copy();
        copy.setIntLE(copy.readerIndex() + ID_OFFSET, (int) id);
        return copy;
    }

    /**
     * Offset (from the reader index) of the "new parameters bound" flag of a COM_STMT_EXECUTE with
     * {@code parameters} parameters, or -1 when the packet has none.
     */
    static int boundFlagOffset(ByteBuf packet, int parameters) {
        if (parameters <= 0) {
            return -1;
        }
        // command, statement id (4), flags (1), iteration count (4), NULL bitmap
        int offset = ID_OFFSET + 4 + 1 + 4 + (parameters + 7) / 8;
        return offset < Packets.HEADER_SIZE + Packets.payloadLength(packet) ? offset : -1;
    }

    /** The parameter types the packet binds (2 bytes per parameter), or null when it sends none. */
    static byte[] boundTypes(ByteBuf packet, int parameters) {
        int flag = boundFlagOffset(packet, parameters);
        if (flag < 0 || packet.getByte(packet.readerIndex() + flag) != 1
                || flag + 1 + 2 * parameters > Packets.HEADER_SIZE + Packets.payloadLength(packet)) {
            return null;
        }
        byte[] types = new byte[2 * parameters];
        packet.getBytes(packet.readerIndex() + flag + 1, types);
        return types;
    }

    /**
     * The packet with the types inserted after a cleared "new parameters bound" flag; consumes {@code packet}.
     * Returns the packet unchanged when it already binds types or has no flag.
     */
    static ByteBuf withTypes(ByteBuf packet, int parameters, byte[] types) {
        int flag = boundFlagOffset(packet, parameters);
        if (flag < 0 || packet.getByte(packet.readerIndex() + flag) != 0
                || Packets.payloadLength(packet) + types.length >= Packets.MAX_PAYLOAD) {
            return packet;
        }
        int start = packet.readerIndex();
        int end = start + Packets.HEADER_SIZE + Packets.payloadLength(packet);
        ByteBuf out = Packets.start(packet.alloc(), Packets.payloadLength(packet) + types.length);
        out.writeBytes(packet, start + Packets.HEADER_SIZE, flag - Packets.HEADER_SIZE);
        out.writeByte(1);
        out.writeBytes(types);
        out.writeBytes(packet, start + flag + 1, end - (start + flag + 1));
        Packets.finish(out, Packets.sequence(packet));
        packet.release();
        return out;
    }
}
