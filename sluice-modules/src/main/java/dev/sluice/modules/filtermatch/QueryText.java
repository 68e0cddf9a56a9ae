package dev.sluice.modules.filtermatch;

import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** The statement text of a single-packet COM_QUERY, read as UTF-8, and a COM_QUERY with other text. */
public final class QueryText {
    private QueryText() {
    }

    /** The text after the command byte; the packet's indexes and reference count are left alone. */
    public static String sql(ByteBuf packet) {
        int len = Packets.payloadLength(packet) - 1;
        return len <= 0 ? "" : packet.toString(packet.readerIndex() + Packets.HEADER_SIZE + 1, len,
                StandardCharsets.UTF_8);
    }

    /**
     * A new COM_QUERY packet with {@code sql} and the sequence number of {@code original}, or null when the text
     * does not fit one packet. {@code original} is not touched.
     */
    public static ByteBuf withSql(ByteBufAllocator alloc, ByteBuf original, String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        if (text.length + 1 >= Packets.MAX_PAYLOAD) {
            return null;
        }
        ByteBuf out = Packets.start(alloc, text.length + 1);
        out.writeByte(Command.COM_QUERY);
        out.writeBytes(text);
        return Packets.finish(out, Packets.sequence(original));
    }
}
