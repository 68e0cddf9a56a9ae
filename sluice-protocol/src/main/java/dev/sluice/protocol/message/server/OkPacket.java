package dev.sluice.protocol.message.server;

import dev.sluice.protocol.LengthEncoded;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** An OK packet (https://mariadb.com/kb/en/ok_packet/), as Sluice writes it when it answers by itself. */
public record OkPacket(long affectedRows, long lastInsertId, int statusFlags, int warnings) {

    public static boolean is(ByteBuf packet) {
        return Packets.firstByte(packet) == 0x00;
    }

    /** Reads the status flags of an OK packet without decoding the rest. */
    public static int peekStatus(ByteBuf packet) {
        ByteBuf p = packet.duplicate().skipBytes(Packets.HEADER_SIZE + 1);
        LengthEncoded.readInt(p);
        LengthEncoded.readInt(p);
        return p.readUnsignedShortLE();
    }

    public ByteBuf encode(ByteBufAllocator alloc, int sequence) {
        ByteBuf buf = Packets.start(alloc, 16);
        buf.writeByte(0);
        LengthEncoded.writeInt(buf, affectedRows);
        LengthEncoded.writeInt(buf, lastInsertId);
        buf.writeShortLE(statusFlags);
        buf.writeShortLE(warnings);
        return Packets.finish(buf, sequence);
    }
}
