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
    // event-loop confined: set while the bytes after an SSL request must go to the TLS handler instead
    private boolean handOverToTls;

    /**
     * Call after adding a TLS handler at the head of the pipeline in reaction to an SSL request packet. A client
     * starts its TLS handshake right after the SSL request without waiting, so its first TLS bytes may already
     * sit in this decoder's buffer; they are passed, in order, to the head of the pipeline (the TLS handler)
     * instead of being decoded as packets.
     */
    public void handOverBufferedBytesToTls() {
        if (actualReadableBytes() > 0) {
            handOverToTls = true;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (handOverToTls) {
            handOverToTls = false;
            if (in.isReadable()) {
                ctx.pipeline().fireChannelRead(in.readRetainedSlice(in.readableBytes()));
            }
            return;
        }
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
