package dev.sluice.protocol.message.client;

import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** COM_QUERY (https://mariadb.com/kb/en/com_query/): the command byte 0x03, then the statement text. */
public final class ComQuery {
    private ComQuery() {
    }

    /** A COM_QUERY packet with {@code sql} and the given sequence number (0 for a new request). */
    public static ByteBuf encode(ByteBufAllocator alloc, String sql, int sequence) {
        ByteBuf out = encodeOrNull(alloc, sql, sequence);
        if (out == null) {
            throw new IllegalArgumentException("statement of " + sql.length() + " characters does not fit one packet");
        }
        return out;
    }

    /** As {@link #encode}, or null when the text does not fit one packet (16 MiB - 1 bytes with the command). */
    public static ByteBuf encodeOrNull(ByteBufAllocator alloc, String sql, int sequence) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        if (text.length + 1 >= Packets.MAX_PAYLOAD) {
            return null;
        }
        ByteBuf out = Packets.start(alloc, text.length + 1);
        out.writeByte(Command.COM_QUERY).writeBytes(text);
        return Packets.finish(out, sequence);
    }

    /** The statement text of a one-packet COM_QUERY (header included); not consumed. */
    public static String sql(ByteBuf packet) {
        int payload = Packets.payloadLength(packet);
        return packet.toString(packet.readerIndex() + Packets.HEADER_SIZE + 1, Math.max(0, payload - 1),
                StandardCharsets.UTF_8);
    }
}
