package dev.sluice.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class PacketDecoderTest {

    private static List<ByteBuf> drain(EmbeddedChannel ch) {
        List<ByteBuf> out = new ArrayList<>();
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            out.add(b);
        }
        return out;
    }

    private static void releaseAll(List<ByteBuf> packets) {
        packets.forEach(ByteBuf::release);
    }

    @Test
    void packetsArrivingByteByByteAreJoined() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder());
        ByteBuf whole = PacketsForTests.packet(0, 0x03, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '1');
        while (whole.isReadable()) {
            ch.writeInbound(whole.readRetainedSlice(1));
        }
        whole.release();
        List<ByteBuf> out = drain(ch);
        assertThat(out).hasSize(1);
        assertThat(Packets.payloadLength(out.get(0))).isEqualTo(9);
        assertThat(Packets.firstByte(out.get(0))).isEqualTo(0x03);
        releaseAll(out);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void severalPacketsInOneReadAreSplit() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder());
        ByteBuf joined = Unpooled.buffer();
        for (int i = 0; i < 5; i++) {
            ByteBuf p = PacketsForTests.packet(i, new byte[i]); // payloads of 0..4 bytes
            joined.writeBytes(p);
            p.release();
        }
        ByteBuf half = PacketsForTests.packet(5, 1, 2, 3);
        joined.writeBytes(half, 0, 5);
        ch.writeInbound(joined);
        List<ByteBuf> out = drain(ch);
        assertThat(out).extracting(Packets::sequence).containsExactly(0, 1, 2, 3, 4);
        assertThat(out).extracting(Packets::payloadLength).containsExactly(0, 1, 2, 3, 4);
        releaseAll(out);
        ch.writeInbound(half.skipBytes(5));
        List<ByteBuf> rest = drain(ch);
        assertThat(rest).singleElement().satisfies(p -> assertThat(Packets.payloadLength(p)).isEqualTo(3));
        releaseAll(rest);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aMessageOf16MiBOrMoreComesOutAsItsPhysicalPackets() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder());
        ByteBuf first = Unpooled.buffer(4 + Packets.MAX_PAYLOAD);
        first.writeMediumLE(Packets.MAX_PAYLOAD).writeByte(0).writeByte(Command.COM_QUERY)
                .writeZero(Packets.MAX_PAYLOAD - 1);
        ByteBuf exactBoundary = PacketsForTests.packet(1, new byte[0]); // the empty packet after exactly 16 MiB - 1
        // arrive in 64 KiB reads, as from a socket
        ByteBuf stream = Unpooled.wrappedBuffer(first, exactBoundary);
        while (stream.isReadable()) {
            ch.writeInbound(stream.readRetainedSlice(Math.min(65536, stream.readableBytes())));
        }
        stream.release();
        List<ByteBuf> out = drain(ch);
        assertThat(out).extracting(Packets::payloadLength).containsExactly(Packets.MAX_PAYLOAD, 0);
        assertThat(out).extracting(Packets::sequence).containsExactly(0, 1);
        releaseAll(out);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anIncompletePacketAtCloseIsReleased() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {100, 0, 0, 0, 1, 2, 3}));
        assertThat(drain(ch)).isEmpty();
        ch.finishAndReleaseAll();
    }

    /**
     * A client sends its TLS ClientHello right behind the SSL request, often in the same TCP segment: those
     * bytes must reach the TLS handler added in front of the decoder, not be decoded as a packet.
     */
    @Test
    void bytesBufferedBehindAnSslRequestGoToTheTlsHandlerAddedInFront() {
        List<ByteBuf> seenByTls = new ArrayList<>();
        io.netty.channel.ChannelInboundHandlerAdapter fakeTls = new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                seenByTls.add((ByteBuf) msg); // a real SslHandler would decrypt; here it only records
            }
        };
        List<ByteBuf> packets = new ArrayList<>();
        io.netty.channel.ChannelInboundHandlerAdapter upgrader = new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                packets.add((ByteBuf) msg);
                ctx.pipeline().addFirst("tls", fakeTls);
                ((PacketDecoder) ctx.pipeline().get("framer")).handOverBufferedBytesToTls();
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("framer", new PacketDecoder()).addLast("client", upgrader);
        ByteBuf sslRequest = PacketsForTests.packet(1, new byte[32]);
        ByteBuf read = Unpooled.buffer().writeBytes(sslRequest).writeBytes(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
        sslRequest.release();
        ch.writeInbound(read);
        assertThat(packets).hasSize(1);
        assertThat(Packets.payloadLength(packets.get(0))).isEqualTo(32);
        assertThat(seenByTls).hasSize(1);
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(seenByTls.get(0)))
                .containsExactly(0x16, 0x03, 0x01, 0x02, 0x00);
        releaseAll(packets);
        releaseAll(seenByTls);
        ch.finishAndReleaseAll();
    }
}
