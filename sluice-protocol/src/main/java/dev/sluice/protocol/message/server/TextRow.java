package dev.sluice.protocol.message.server;

import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A text-protocol result row (https://mariadb.com/kb/en/resultset-row/): each column a length-encoded string,
 * or 0xFB for NULL. For the proxy's own queries (causal reads' GTID), never on the forwarding path.
 */
public final class TextRow {
    private TextRow() {
    }

    /** The first column's value, or null (SQL NULL, or not a row: an ERR, EOF or truncated packet). */
    public static String firstColumn(ByteBuf packet) {
        int len = Packets.payloadLength(packet);
        int pos = packet.readerIndex() + Packets.HEADER_SIZE;
        int end = pos + len;
        if (len < 1 || end > packet.writerIndex()) {
            return null;
        }
        int first = packet.getUnsignedByte(pos++);
        long n;
        if (first < 0xfb) {
            n = first;
        } else if (first == 0xfc && pos + 2 <= end) {
            n = packet.getUnsignedShortLE(pos);
            pos += 2;
        } else if (first == 0xfd && pos + 3 <= end) {
            n = packet.getUnsignedMediumLE(pos);
            pos += 3;
        } else {
            return null;
        }
        if (pos + n > end) {
            return null;
        }
        return packet.toString(pos, (int) n, StandardCharsets.UTF_8);
    }
}
