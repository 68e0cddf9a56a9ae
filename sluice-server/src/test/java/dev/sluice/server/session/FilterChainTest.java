package dev.sluice.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.query.Hint;
import dev.sluice.api.query.HintType;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the chain hands a filter's routing hints to the router: leading hint comments on the COM_QUERY. */
class FilterChainTest {
    private static ByteBuf query(String sql, int sequence) {
        ByteBuf b = Packets.start(ByteBufAllocator.DEFAULT, sql.length() + 1);
        b.writeByte(Command.COM_QUERY).writeBytes(sql.getBytes(StandardCharsets.UTF_8));
        return Packets.finish(b, sequence);
    }

    private static String sql(ByteBuf packet) {
        return packet.toString(packet.readerIndex() + Packets.HEADER_SIZE + 1, Packets.payloadLength(packet) - 1,
                StandardCharsets.UTF_8);
    }

    @Test
    void hintsBecomeLeadingCommentsInMaxScaleSyntaxAndTheOriginalIsReleased() {
        ByteBuf original = query("SELECT 1", 0);
        ByteBuf hinted = FilterChain.withHintComments(ByteBufAllocator.DEFAULT, original, List.of(
                Hint.apply(HintType.ROUTE_TO_NAMED_SERVER, "db2", ""), Hint.apply(HintType.ROUTE_TO_MASTER, "", "")));
        try {
            assertThat(original.refCnt()).isZero();
            assertThat(Packets.firstByte(hinted)).isEqualTo(Command.COM_QUERY);
            assertThat(Packets.sequence(hinted)).isZero();
            assertThat(sql(hinted)).isEqualTo(
                    "/* maxscale route to server db2 */ /* maxscale route to master */ SELECT 1");
            assertThat(Packets.payloadLength(hinted)).isEqualTo(hinted.readableBytes() - Packets.HEADER_SIZE);
        } finally {
            hinted.release();
        }
    }

    @Test
    void aStatementThatWouldNoLongerFitOnePacketKeepsItsTextWithoutHints() {
        ByteBuf big = Unpooled.buffer(Packets.MAX_PAYLOAD + Packets.HEADER_SIZE);
        big.writeMediumLE(Packets.MAX_PAYLOAD - 10).writeByte(0).writeByte(Command.COM_QUERY);
        big.writeZero(Packets.MAX_PAYLOAD - 11);
        ByteBuf out = FilterChain.withHintComments(ByteBufAllocator.DEFAULT, big, List.of(
                Hint.apply(HintType.ROUTE_TO_SLAVE, "", "")));
        assertThat(out).isSameAs(big);
        assertThat(big.refCnt()).isEqualTo(1);
        big.release();
    }
}
