package dev.sluice.modules.readwritesplit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.protocol.Command;
import dev.sluice.protocol.LengthEncoded;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ReplyTracker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyChecksumTest {
    private static ByteBuf ok(long affected, long insertId, int status, String info) {
        ByteBuf p = Packets.start(ByteBufAllocator.DEFAULT, 32);
        p.writeByte(0);
        LengthEncoded.writeInt(p, affected);
        LengthEncoded.writeInt(p, insertId);
        p.writeShortLE(status).writeShortLE(0);
        p.writeBytes(info.getBytes(StandardCharsets.US_ASCII));
        return Packets.finish(p, 1);
    }

    private static ByteBuf err(int code, String message) {
        ByteBuf p = Packets.start(ByteBufAllocator.DEFAULT, 32);
        p.writeByte(0xff).writeShortLE(code).writeByte('#').writeBytes("40001".getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(message.getBytes(StandardCharsets.US_ASCII));
        return Packets.finish(p, 1);
    }

    private static ByteBuf raw(int... bytes) {
        ByteBuf p = Packets.start(ByteBufAllocator.DEFAULT, bytes.length);
        for (int b : bytes) {
            p.writeByte(b);
        }
        return Packets.finish(p, 1);
    }

    /** Column count 1, one column definition (stand-in bytes), one row with {@code value}, EOF with {@code status}. */
    private static byte[] resultSet(ReplyChecksum sum, String value, int status) {
        return resultSet(sum, value, 2, status);
    }

    /** As above, with an EOF after the column definitions carrying {@code midStatus}. */
    private static byte[] resultSet(ReplyChecksum sum, String value, int midStatus, int status) {
        ByteBuf[] packets = {raw(1), raw(3, 'd', 'e', 'f'), raw(0xfe, 0, 0, midStatus, 0),
                raw(value.length(), value.charAt(0)), raw(0xfe, 0, 0, status, 0)};
        ReplyTracker reply = query();
        for (ByteBuf packet : packets) {
            reply.onPacket(packet);
            sum.update(packet, reply);
            packet.release();
        }
        return sum.finish();
    }

    /** The protocol layer's reading of a COM_QUERY's reply, as the router gets it. */
    private static ReplyTracker query() {
        ReplyTracker reply = new ReplyTracker(false);
        reply.commandSent(Command.COM_QUERY);
        return reply;
    }

    private static byte[] single(ReplyChecksum sum, ByteBuf packet) {
        ReplyTracker reply = query();
        reply.onPacket(packet);
        sum.update(packet, reply);
        packet.release();
        return sum.finish();
    }

    @Test
    void resultSetsDifferByTheirRowsButNotByTheirFinalStatusFlags() {
        ReplyChecksum sum = new ReplyChecksum(ReplyChecksum.Mode.FULL);
        byte[] a = resultSet(sum, "a", 2);
        assertThat(resultSet(sum, "a", 3)).isEqualTo(a);
        assertThat(resultSet(sum, "b", 2)).isNotEqualTo(a);
    }

    /** The EOF after the column definitions: "no index used" (0x20) may be set on one server and not another. */
    @Test
    void resultSetsDoNotDifferByTheStatusFlagsOfTheEofAfterTheColumns() {
        ReplyChecksum sum = new ReplyChecksum(ReplyChecksum.Mode.FULL);
        byte[] a = resultSet(sum, "a", 0x03, 0x03);
        assertThat(resultSet(sum, "a", 0x23, 0x03)).isEqualTo(a);
        assertThat(resultSet(sum, "c", 0x03, 0x03)).isNotEqualTo(a);
    }

    @Test
    void fullCountsTheInsertIdAndNoInsertIdDoesNot() {
        ReplyChecksum full = new ReplyChecksum(ReplyChecksum.Mode.FULL);
        assertThat(single(full, ok(1, 7, 2, ""))).isNotEqualTo(single(full, ok(1, 8, 2, "")));
        assertThat(single(full, ok(1, 7, 2, ""))).isNotEqualTo(single(full, ok(2, 7, 2, "")));
        assertThat(single(full, ok(1, 7, 2, "info"))).isEqualTo(single(full, ok(1, 7, 3, "other")));
        ReplyChecksum noId = new ReplyChecksum(ReplyChecksum.Mode.NO_INSERT_ID);
        assertThat(single(noId, ok(1, 7, 2, ""))).isEqualTo(single(noId, ok(1, 8, 2, "")));
        assertThat(single(noId, ok(1, 7, 2, ""))).isNotEqualTo(single(noId, ok(2, 7, 2, "")));
    }

    @Test
    void resultOnlyIgnoresWhatAnOkSaysButNotThatItWasAnOk() {
        ReplyChecksum sum = new ReplyChecksum(ReplyChecksum.Mode.RESULT_ONLY);
        assertThat(single(sum, ok(1, 7, 2, ""))).isEqualTo(single(sum, ok(5, 9, 2, "")));
        assertThat(single(sum, ok(1, 7, 2, ""))).isNotEqualTo(single(sum, err(1213, "deadlock")));
    }

    @Test
    void errorsCountByCodeNotByMessage() {
        ReplyChecksum sum = new ReplyChecksum(ReplyChecksum.Mode.FULL);
        assertThat(single(sum, err(1213, "thread 5"))).isEqualTo(single(sum, err(1213, "thread 9")));
        assertThat(single(sum, err(1213, "x"))).isNotEqualTo(single(sum, err(1062, "x")));
    }
}
