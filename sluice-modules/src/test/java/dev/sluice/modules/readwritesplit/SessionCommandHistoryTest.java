package dev.sluice.modules.readwritesplit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.protocol.Command;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionCommandHistoryTest {
    private final List<ByteBuf> made = new ArrayList<>();

    private ByteBuf packet() {
        ByteBuf b = Unpooled.buffer().writeZero(5);
        made.add(b);
        return b;
    }

    private static List<Long> positions(SessionCommandHistory h) {
        List<Long> out = new ArrayList<>();
        for (SessionCommandHistory.Entry e = h.from(0); e != null; e = h.from(e.position + 1)) {
            out.add(e.position);
        }
        return out;
    }

    @Test
    void pruningKeepsTheNewestCommandsAndReleasesTheOldest() {
        SessionCommandHistory h = new SessionCommandHistory(2, true, false);
        h.add(packet(), Command.COM_QUERY, true, -1);
        h.add(packet(), Command.COM_QUERY, true, -1);
        h.add(packet(), Command.COM_QUERY, true, -1);
        assertThat(positions(h)).containsExactly(1L, 2L);
        assertThat(made.get(0).refCnt()).isZero();
        assertThat(h.intact()).isTrue();
        h.releaseAll();
        assertThat(made).allMatch(b -> b.refCnt() == 0);
    }

    @Test
    void withoutPruningAnOverflowLosesTheHistory() {
        SessionCommandHistory h = new SessionCommandHistory(1, false, false);
        h.add(packet(), Command.COM_QUERY, true, -1);
        assertThat(h.intact()).isTrue();
        h.add(packet(), Command.COM_QUERY, true, -1);
        assertThat(h.intact()).isFalse();
        h.releaseAll();
        assertThat(made).allMatch(b -> b.refCnt() == 0);
    }

    @Test
    void preparesDoNotCountAndLeaveWhenClosed() {
        SessionCommandHistory h = new SessionCommandHistory(1, true, false);
        h.add(packet(), Command.COM_STMT_PREPARE, true, 7);
        h.add(packet(), Command.COM_QUERY, true, -1);
        h.add(packet(), Command.COM_QUERY, true, -1);
        assertThat(positions(h)).containsExactly(0L, 2L);
        h.removePrepare(7);
        assertThat(positions(h)).containsExactly(2L);
        assertThat(made.get(0).refCnt()).isZero();
        h.releaseAll();
    }

    @Test
    void disabledHistoryKeepsNothingAndIsLost() {
        SessionCommandHistory h = new SessionCommandHistory(50, true, true);
        assertThat(h.add(packet(), Command.COM_QUERY, true, -1)).isNull();
        assertThat(h.intact()).isFalse();
        assertThat(h.size()).isZero();
        assertThat(made.get(0).refCnt()).isZero();
    }
}
