package dev.sluice.modules.readwritesplit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

class StatementPacketsTest {
    /** COM_STMT_EXECUTE of statement {@code id} with two INT parameters (values 1 and 2). */
    static ByteBuf execute(long id, boolean withTypes) {
        ByteBuf p = Packets.start(ByteBufAllocator.DEFAULT, 32);
        p.writeByte(Command.COM_STMT_EXECUTE).writeIntLE((int) id).writeByte(0).writeIntLE(1);
        p.writeByte(0); // NULL bitmap
        p.writeByte(withTypes ? 1 : 0);
        if (withTypes) {
            p.writeShortLE(3).writeShortLE(3);
        }
        p.writeIntLE(1).writeIntLE(2);
        return Packets.finish(p, 0);
    }

    @Test
    void typesAreInsertedForAConnectionThatHasNotSeenThem() {
        ByteBuf first = execute(5, true);
        byte[] types = StatementPackets.boundTypes(first, 2);
        assertThat(types).containsExactly(3, 0, 3, 0);
        ByteBuf without = execute(5, false);
        ByteBuf with = StatementPackets.withTypes(without, 2, types);
        assertThat(without.refCnt()).isZero();
        assertThat(Packets.payloadLength(with)).isEqualTo(Packets.payloadLength(first));
        assertThat(io.netty.buffer.ByteBufUtil.equals(with, first)).isTrue();
        first.release();
        with.release();
    }

    @Test
    void copiesCarryTheConnectionsStatementId() {
        ByteBuf p = execute(5, false);
        ByteBuf copy = StatementPackets.copyWithId(p, 42);
        assertThat(StatementPackets.statementId(copy)).isEqualTo(42);
        assertThat(StatementPackets.statementId(p)).isEqualTo(5);
        p.release();
        copy.release();
    }
}
