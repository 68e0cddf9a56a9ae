package dev.sluice.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.protocol.ProtocolException;
import dev.sluice.protocol.message.server.SessionTrack;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * OK packets of a server that negotiated CLIENT_SESSION_TRACK rewritten for a client that did not
 * ({@link SessionTrack#withoutSessionState}). The first payloads are bytes MariaDB 10.11 sent (see
 * {@link SessionTrackTest}); the others follow the same layout (net_send_ok: the info is length-encoded, with
 * CLIENT_SESSION_TRACK also when empty if session state follows; without it, an empty info is left out).
 */
class OkWithoutSessionStateTest {

    private static ByteBuf packet(int sequence, String payloadHex) {
        byte[] payload = ByteBufUtil.decodeHexDump(payloadHex);
        return Unpooled.buffer().writeMediumLE(payload.length).writeByte(sequence).writeBytes(payload);
    }

    private static String rewrite(int sequence, String payloadHex) {
        ByteBuf in = packet(sequence, payloadHex);
        ByteBuf out = SessionTrack.withoutSessionState(in);
        try {
            assertThat(out.getUnsignedMediumLE(out.readerIndex())).as("payload length")
                    .isEqualTo(out.readableBytes() - 4);
            assertThat((int) out.getUnsignedByte(out.readerIndex() + 3)).as("sequence id").isEqualTo(sequence);
            return ByteBufUtil.hexDump(out, out.readerIndex() + 4, out.readableBytes() - 4);
        } finally {
            out.release();
            assertThat(in.refCnt()).as("the original is released").isZero();
        }
    }

    private static String hex(String text) {
        return ByteBufUtil.hexDump(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anInsertLosesItsLastGtidAndTheFlag() {
        // captured: INSERT, 1 row, AUTOCOMMIT|SESSION_STATE_CHANGED, empty info, last_gtid=0-7-2
        assertThat(rewrite(1, "0001000240000000120010096c6173745f6774696405302d372d32"))
                .isEqualTo("00010002000000");
    }

    @Test
    void theTransactionStateOfACommitGoes() {
        assertThat(rewrite(1, "0000000240000000200010096c6173745f6774696405302d372d330509085f5f5f5f5f5f5f5f040100"))
                .isEqualTo("00000002000000");
    }

    @Test
    void infoTextAffectedRowsInsertIdWarningsAndOtherFlagsAreKeptExactly() {
        String info = "Rows matched: 3  Changed: 2  Warnings: 1";
        // 0x00, affected 2, insert id 300 (0xfc 2c01), status IN_TRANS|AUTOCOMMIT|MORE_RESULTS|STATE_CHANGED,
        // warnings 1, info (lenenc), state block: autocommit=OFF
        String in = "00" + "02" + "fc2c01" + "0b40" + "0100" + "28" + hex(info) + "11000f0a6175746f636f6d6d6974034f4646";
        assertThat(rewrite(3, in)).isEqualTo("00" + "02" + "fc2c01" + "0b00" + "0100" + "28" + hex(info));
    }

    @Test
    void anOkWithAnInfoTextButNoStateIsAlreadyRight() {
        String info = "Records: 3  Duplicates: 0  Warnings: 0";
        ByteBuf in = packet(1, "00" + "03" + "07" + "0200" + "0000" + "26" + hex(info));
        assertThat(SessionTrack.withoutSessionState(in)).isSameAs(in);
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }

    @Test
    void theOkEndingAResultSetWithDeprecateEofKeepsItsHeader() {
        // 0xFE OK after the rows: 0 rows, status AUTOCOMMIT|STATE_CHANGED, no info, state: T_______
        String in = "fe" + "00" + "00" + "0240" + "0000" + "00" + "0b050908545f5f5f5f5f5f5f";
        assertThat(rewrite(5, in)).isEqualTo("fe00000200" + "0000");
    }

    @Test
    void largeAffectedRowsAndInsertIdsSurvive() {
        // affected rows 0x1000000 (0xfd: 3 bytes is not enough, 0xfe: 8 bytes), insert id 70000 (0xfd 3 bytes)
        String in = "00" + "fe0000000100000000" + "fd701101" + "0240" + "0000" + "00" + "0f0a6175746f636f6d6d6974024f4e";
        assertThat(rewrite(1, in)).isEqualTo("00" + "fe0000000100000000" + "fd701101" + "0200" + "0000");
    }

    @Test
    void anOkWithNothingToChangeIsPassedOnAsItIs() {
        ByteBuf in = packet(1, "00000002000000");
        ByteBuf out = SessionTrack.withoutSessionState(in);
        assertThat(out).isSameAs(in);
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }

    @Test
    void aTruncatedOkIsRefusedAndLeftAlone() {
        ByteBuf in = packet(1, "000100024000003069"); // an info text of 0x30 bytes, one there
        assertThatThrownBy(() -> SessionTrack.withoutSessionState(in)).isInstanceOf(ProtocolException.class);
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
        ByteBuf err = packet(1, "ff1e04");
        assertThatThrownBy(() -> SessionTrack.withoutSessionState(err)).isInstanceOf(ProtocolException.class);
        err.release();
    }
}
