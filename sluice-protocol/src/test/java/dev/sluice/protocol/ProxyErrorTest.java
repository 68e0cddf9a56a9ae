package dev.sluice.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.testkit.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(LeakCheck.class)
class ProxyErrorTest {

    /** MariaDB Connector/C reports an ERR with a code of its own range as 2027 "Received malformed packet". */
    @ParameterizedTest
    @EnumSource(ProxyError.class)
    void everyErrorCarriesAServerCodeAndAFiveCharacterSqlState(ProxyError error) {
        assertThat(ProxyError.isClientSideCode(error.code())).as("%s: %d", error, error.code()).isFalse();
        assertThat(error.code()).isBetween(1000, 65534);
        assertThat(error.sqlState()).matches("[0-9A-Z]{5}");
    }

    @Test
    void theClientLibrarysRangeIsTwoThousandToTwoThousandNineHundredNinetyNine() {
        assertThat(ProxyError.isClientSideCode(2003)).isTrue();
        assertThat(ProxyError.isClientSideCode(2013)).isTrue();
        assertThat(ProxyError.isClientSideCode(1927)).isFalse();
        assertThat(ProxyError.isClientSideCode(3000)).isFalse();
    }

    @Test
    void anErrorEncodesAsAWellFormedErrPacketWithTheGivenSequence() {
        ByteBuf packet = ProxyError.NO_BACKEND.packet("RW", "db1: Connection refused")
                .encode(UnpooledByteBufAllocator.DEFAULT, 2);
        try {
            assertThat(Packets.sequence(packet)).isEqualTo(2);
            assertThat(Packets.payloadLength(packet)).isEqualTo(packet.readableBytes() - Packets.HEADER_SIZE);
            ErrPacket decoded = ErrPacket.decode(packet);
            assertThat(decoded.errorCode()).isEqualTo(1927);
            assertThat(decoded.sqlState()).isEqualTo("08S01");
            assertThat(decoded.message()).isEqualTo("No server of service 'RW' is available: db1: Connection refused");
        } finally {
            packet.release();
        }
    }
}
