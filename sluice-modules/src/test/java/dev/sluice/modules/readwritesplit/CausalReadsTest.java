package dev.sluice.modules.readwritesplit;

import dev.sluice.protocol.message.client.ComQuery;
import dev.sluice.protocol.message.server.TextRow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CausalReadsTest {
    @Test
    void mergeKeepsTheHighestSequencePerDomain() {
        assertThat(CausalReads.merge("", "0-1-5")).isEqualTo("0-1-5");
        assertThat(CausalReads.merge("0-1-5", "0-1-4")).isEqualTo("0-1-5");
        assertThat(CausalReads.merge("0-1-5", "0-2-9,1-1-3")).isEqualTo("0-2-9,1-1-3");
        assertThat(CausalReads.merge("0-1-5,1-1-7", "1-1-2")).isEqualTo("0-1-5,1-1-7");
    }

    @Test
    void coversComparesEveryRequiredDomain() {
        assertThat(CausalReads.covers("0-1-5", "0-1-5")).isTrue();
        assertThat(CausalReads.covers("0-1-6", "0-2-5")).isTrue();
        assertThat(CausalReads.covers("0-1-4", "0-1-5")).isFalse();
        assertThat(CausalReads.covers("0-1-9", "0-1-5,1-1-1")).isFalse();
        assertThat(CausalReads.covers("", "0-1-1")).isFalse();
        assertThat(CausalReads.covers("", "")).isTrue();
        assertThat(CausalReads.covers("0-1-18446744073709551615", "0-1-18446744073709551614")).isTrue();
    }

    @Test
    void onlyGtidPositionsAreValidAndQuoted() {
        assertThat(CausalReads.valid("0-1-5,2-3-4")).isTrue();
        assertThat(CausalReads.valid("")).isFalse();
        assertThat(CausalReads.valid(null)).isFalse();
        assertThat(CausalReads.valid("0-1-5'); DROP TABLE t; --")).isFalse();
        assertThat(CausalReads.valid("0-1")).isFalse();
        assertThat(CausalReads.waitQuery("0-1-5", Duration.ofMillis(2500)))
                .isEqualTo("SELECT MASTER_GTID_WAIT('0-1-5', 2.500)");
        assertThatThrownBy(() -> CausalReads.waitQuery("x'", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modesSayWhatTheyNeed() {
        assertThat(CausalReads.Mode.of("local").tracksWrites()).isTrue();
        assertThat(CausalReads.Mode.of("local").waits()).isTrue();
        assertThat(CausalReads.Mode.of("fast").waits()).isFalse();
        assertThat(CausalReads.Mode.of("universal").tracksWrites()).isFalse();
        assertThat(CausalReads.Mode.of("fast_universal").asksPrimary()).isTrue();
        assertThat(CausalReads.Mode.of("fast_global").global()).isTrue();
        assertThat(CausalReads.Mode.of("none").waits()).isFalse();
    }

    private static ByteBuf packet(byte... payload) {
        ByteBuf b = Unpooled.buffer();
        b.writeMediumLE(payload.length).writeByte(3).writeBytes(payload);
        return b;
    }

    @Test
    void firstColumnReadsALengthEncodedString() {
        byte[] v = "0-1-42".getBytes(StandardCharsets.US_ASCII);
        byte[] row = new byte[v.length + 1];
        row[0] = (byte) v.length;
        System.arraycopy(v, 0, row, 1, v.length);
        assertThat(TextRow.firstColumn(packet(row))).isEqualTo("0-1-42");
        assertThat(TextRow.firstColumn(packet((byte) 0xfb))).isNull();
        assertThat(TextRow.firstColumn(packet((byte) 9, (byte) 'a'))).isNull();
        byte[] longRow = new byte[3 + 300];
        longRow[0] = (byte) 0xfc;
        longRow[1] = (byte) (300 & 0xff);
        longRow[2] = (byte) (300 >> 8);
        java.util.Arrays.fill(longRow, 3, longRow.length, (byte) '7');
        assertThat(TextRow.firstColumn(packet(longRow))).hasSize(300);
        ByteBuf query = ComQuery.encode(io.netty.buffer.ByteBufAllocator.DEFAULT, "SELECT 1", 0);
        try {
            assertThat(query.getUnsignedMediumLE(0)).isEqualTo(9);
            assertThat(query.getByte(3)).isZero();
            assertThat(query.getByte(4)).isEqualTo((byte) 3);
        } finally {
            query.release();
        }
    }
}
