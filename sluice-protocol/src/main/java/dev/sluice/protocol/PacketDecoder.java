package dev.sluice.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a byte stream into physical MariaDB packets, each emitted as one {@link ByteBuf} holding header and
 * payload (a retained slice of what was read: no copy). A packet larger than {@code maxPacketSize} is a
 * protocol error ({@link ProtocolException}); continuation packets of large messages are emitted one by one,
 * so a 64 MiB message streams through in 16 MiB pieces instead of being assembled.
 */
public final class PacketDecoder extends ByteToMessageDecoder {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= Packets.HEADER_SIZE) {
            int length = in.getUnsignedMediumLE(in.readerIndex());
            int total = Packets.HEADER_SIZE + length;
            if (in.readableBytes() < total) {
                return;
            }
            out.add(in.readRetainedSlice(total));
        }
    }
}
