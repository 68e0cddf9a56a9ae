package dev.sluice.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Packet framing facts: a packet is a 3-byte little-endian payload length, a 1-byte sequence number and the
 * payload. A payload of exactly {@link #MAX_PAYLOAD} bytes is continued by the next packet, so one logical
 * message of 16 MiB or more travels as several physical packets.
 */
public final class Packets {
    public static final int HEADER_SIZE = 4;
    public static final int MAX_PAYLOAD = 0xFFFFFF;

    private Packets() {
    }

    /** Payload length of the packet starting at the reader index of {@code packet} (header included). */
    public static int payloadLength(ByteBuf packet) {
        return packet.getUnsignedMediumLE(packet.readerIndex());
    }

    public static int sequence(ByteBuf packet) {
        return packet.getUnsignedByte(packet.readerIndex() + 3);
    }

    /** The first payload byte (command, or OK/ERR/EOF marker), or -1 for an empty payload. */
    public static int firstByte(ByteBuf packet) {
        return payloadLength(packet) == 0 ? -1 : packet.getUnsignedByte(packet.readerIndex() + HEADER_SIZE);
    }

    public static void setSequence(ByteBuf packet, int sequence) {
        packet.setByte(packet.readerIndex() + 3, sequence);
    }

    /** A buffer with room for the header; finish it with {@link #finish(ByteBuf, int)}. */
    public static ByteBuf start(ByteBufAllocator alloc, int payloadHint) {
        ByteBuf buf = alloc.buffer(HEADER_SIZE + payloadHint);
        buf.writeZero(HEADER_SIZE);
        return buf;
    }

    /** Fills in the header of a packet begun with {@link #start}; payloads must be below 16 MiB. */
    public static ByteBuf finish(ByteBuf buf, int sequence) {
        int len = buf.writerIndex() - buf.readerIndex() - HEADER_SIZE;
        if (len >= MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload: " + len + " (expected: < " + MAX_PAYLOAD + ")");
        }
        buf.setMediumLE(buf.readerIndex(), len);
        buf.setByte(buf.readerIndex() + 3, sequence);
        return buf;
    }
}
