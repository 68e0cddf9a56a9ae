package dev.sluice.protocol.message.server;

import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** An ERR packet (https://mariadb.com/kb/en/err_packet/): error code, SQLSTATE and message. */
public record ErrPacket(int errorCode, String sqlState, String message) {

    public static boolean is(ByteBuf packet) {
        return Packets.firstByte(packet) == 0xff;
    }

    public static ErrPacket decode(ByteBuf packet) {
        ByteBuf p = packet.duplicate().skipBytes(Packets.HEADER_SIZE + 1);
        int code = p.readUnsignedShortLE();
        String state = "HY000";
        if (p.isReadable() && p.getByte(p.readerIndex()) == '#' && p.readableBytes() >= 6) {
            p.skipBytes(1);
            state = p.readCharSequence(5, StandardCharsets.US_ASCII).toString();
        }
        return new ErrPacket(code, state, p.toString(StandardCharsets.UTF_8));
    }

    public ByteBuf encode(ByteBufAllocator alloc, int sequence) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Packets.start(alloc, 9 + msg.length);
        buf.writeByte(0xff);
        buf.writeShortLE(errorCode);
        buf.writeByte('#');
        buf.writeBytes(sqlState.getBytes(StandardCharsets.US_ASCII), 0, 5);
        buf.writeBytes(msg);
        return Packets.finish(buf, sequence);
    }
}
