package dev.sluice.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.protocol.ProtocolException;
import dev.sluice.api.reply.SessionChanges;
import dev.sluice.protocol.message.server.SessionTrack;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The session state change information of OK packets. The payloads are the bytes MariaDB 10.11.19 sent on a
 * connection with CLIENT_SESSION_TRACK after
 * {@code SET session_track_system_variables='last_gtid,autocommit,tx_isolation',
 * session_track_transaction_info='CHARACTERISTICS'} (captured with a raw protocol client).
 */
class SessionTrackTest {

    private static ByteBuf packet(String payloadHex) {
        byte[] payload = ByteBufUtil.decodeHexDump(payloadHex);
        return Unpooled.buffer().writeMediumLE(payload.length).writeByte(1).writeBytes(payload);
    }

    private static SessionChanges parse(String payloadHex) {
        ByteBuf p = packet(payloadHex);
        try {
            SessionChanges t = SessionTrack.parse(p);
            assertThat(p.readerIndex()).as("not consumed").isZero();
            return t;
        } finally {
            p.release();
        }
    }

    @Test
    void anAutocommitInsertReportsItsGtidAsTheLastGtidVariable() {
        // INSERT INTO test.t VALUES (1): 1 row, status AUTOCOMMIT|SESSION_STATE_CHANGED, empty info
        SessionChanges t = parse("0001000240000000120010096c6173745f6774696405302d372d32");
        assertThat(t.systemVariables()).isEqualTo(Map.of("last_gtid", "0-7-2"));
        assertThat(t.variable("last_gtid")).isEqualTo("0-7-2");
        assertThat(t.transactionState()).isNull();
        assertThat(t.transactionOpen()).isNull();
        assertThat(t.isEmpty()).isFalse();
    }

    @Test
    void startTransactionReadOnlyReportsStateAndCharacteristics() {
        SessionChanges t = parse("00000003600000002a050908545f5f5f5f5f5f5f041d1c5354415254205452414e53414354494f4e"
                + "2052454144204f4e4c593b");
        assertThat(t.transactionState()).isEqualTo("T_______");
        assertThat(t.transactionOpen()).isTrue();
        assertThat(t.transactionCharacteristics()).isEqualTo("START TRANSACTION READ ONLY;");
        assertThat(t.readOnlyTransaction()).isTrue();
        assertThat(t.transactionWrote()).isFalse();
    }

    @Test
    void aWriteInsideATransactionIsInTheState() {
        SessionChanges t = parse("00010003400000000b050908545f5f5f575f5f5f");
        assertThat(t.transactionState()).isEqualTo("T___W___");
        assertThat(t.transactionWrote()).isTrue();
        assertThat(t.readOnlyTransaction()).isFalse();
    }

    @Test
    void commitReportsTheGtidAndTheEndOfTheTransaction() {
        SessionChanges t = parse("0000000240000000200010096c6173745f6774696405302d372d330509085f5f5f5f5f5f5f5f040100");
        assertThat(t.variable("last_gtid")).isEqualTo("0-7-3");
        assertThat(t.transactionState()).isEqualTo("________");
        assertThat(t.transactionOpen()).isFalse();
        assertThat(t.transactionCharacteristics()).isEmpty();
    }

    @Test
    void autocommitIsolationLevelAndSchemaChanges() {
        assertThat(parse("000000004000000011000f0a6175746f636f6d6d6974034f4646").variable("autocommit"))
                .isEqualTo("OFF");
        assertThat(parse("00000000400000001c001a0c74785f69736f6c6174696f6e0c53455249414c495a41424c45")
                .variable("tx_isolation")).isEqualTo("SERIALIZABLE");
        assertThat(parse("00000000400000000701050474657374").schema()).isEqualTo("test");
    }

    @Test
    void mysqlGtidsEntryAndUnknownTypesAreRead() {
        // type 3: encoding byte 0 then the GTID set; type 9 (unknown) skipped; type 2 (state change) skipped
        String gtid = "3e11fa47-71ca-11e1-9e33-c80aa9429562:23";
        StringBuilder block = new StringBuilder();
        block.append("03").append(String.format("%02x", gtid.length() + 2)).append("00")
                .append(String.format("%02x", gtid.length())).append(ByteBufUtil.hexDump(gtid.getBytes()));
        block.append("0902abcd").append("02020131");
        int blockLength = block.length() / 2;
        SessionChanges t = parse("00000002400000" + "00" + String.format("%02x", blockLength) + block);
        assertThat(t.gtids()).isEqualTo(gtid);
        assertThat(t.systemVariables()).isEmpty();
    }

    @Test
    void aResultSetTerminatorWithDeprecateEofCarriesNothingHere() {
        // the 0xFE OK that ended SELECT @@session_track_system_variables
        SessionChanges t = parse("fe000002000000");
        assertThat(t.isEmpty()).isTrue();
    }

    @Test
    void anOkWithoutTheStateChangedFlagCarriesNothingEvenWithAnInfoText() {
        // status AUTOCOMMIT only; info "Rows matched: 1" follows
        String info = ByteBufUtil.hexDump("Rows matched: 1".getBytes());
        assertThat(parse("00010002000000" + String.format("%02x", info.length() / 2) + info).isEmpty()).isTrue();
        assertThat(parse("00000002000000").isEmpty()).isTrue();
    }

    @Test
    void malformedBlocksAndOtherPacketsAreProtocolErrors() {
        // block length says 0x30 bytes, the packet has 18
        assertThatThrownBy(() -> parse("0000000240000000300010096c6173745f6774696405302d372d31"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("session state block");
        // entry length beyond its block
        assertThatThrownBy(() -> parse("00000002400000000400ff0000"))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> parse("ff2804233432303030"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("not an OK packet");
        assertThatThrownBy(() -> parse("0000"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("truncated");
    }
}
