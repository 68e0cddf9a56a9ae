package dev.sluice.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Length-encoded integers and strings ({@code lenenc}) and NUL-terminated strings, read from and written to
 * {@link ByteBuf}s at their reader/writer index. See https://mariadb.com/kb/en/protocol-data-types/.
 */
public final class LengthEncoded {
    /** Returned by {@link #readInt} for the NULL marker 0xFB. */
    public static final long NULL = -1;

    private LengthEncoded() {
    }

    public static long readInt(ByteBuf buf) {
        int first = buf.readUnsignedByte();
        return switch (first) {
            case 0xfb -> NULL;
            case 0xfc -> buf.readUnsignedShortLE();
            case 0xfd -> buf.readUnsignedMediumLE();
            case 0xfe -> buf.readLongLE();
            default -> first;
        };
    }

    public static void writeInt(ByteBuf buf, long value) {
        if (value < 0xfb) {
            buf.writeByte((int) value);
        } else if (value < (1 << 16)) {
            buf.writeByte(0xfc).writeShortLE((int) value);
        } else if (value < (1 << 24)) {
            buf.writeByte(0xfd).writeMediumLE((int) value);
        } else {
            buf.writeByte(0xfe).writeLongLE(value);
        }
    }

    public static byte[] readBytes(ByteBuf buf) {
        long len = readInt(buf);
        if (len == NULL) {
            return null;
        }
        if (len > buf.readableBytes()) {
            throw new IndexOutOfBoundsException("lenenc string: " + len + " (expected: <= " + buf.readableBytes() + ")");
        }
        byte[] out = new byte[(int) len];
        buf.readBytes(out);
        return out;
    }

    public static String readString(ByteBuf buf) {
        byte[] bytes = readBytes(buf);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    public static void writeBytes(ByteBuf buf, byte[] bytes) {
        writeInt(buf, bytes.length);
        buf.writeBytes(bytes);
    }

    public static void writeString(ByteBuf buf, String s) {
        writeBytes(buf, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads up to the next NUL (consumed) or to the end of the buffer. */
    public static String readNulTerminated(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        String s;
        if (end < 0) {
            s = buf.toString(StandardCharsets.UTF_8);
            buf.readerIndex(buf.writerIndex());
        } else {
            s = buf.toString(buf.readerIndex(), end - buf.readerIndex(), StandardCharsets.UTF_8);
            buf.readerIndex(end + 1);
        }
        return s;
    }

    public static byte[] readNulTerminatedBytes(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        int len = (end < 0 ? buf.writerIndex() : end) - buf.readerIndex();
        byte[] out = new byte[len];
        buf.readBytes(out);
        if (end >= 0) {
            buf.skipBytes(1);
        }
        return out;
    }

    public static void writeNulTerminated(ByteBuf buf, String s) {
        buf.writeBytes(s.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }
}
