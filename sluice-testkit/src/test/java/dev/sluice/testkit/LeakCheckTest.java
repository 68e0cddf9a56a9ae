package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakCheckTest {

    @Test
    void aReleasedBufferIsNotALeak() {
        LeakCheck.install();
        LeakCheck.collectLeaks();
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(64);
        buf.writeInt(1);
        buf.release();
        assertThat(LeakCheck.collectLeaks()).isEmpty();
    }

    @Test
    void aBufferDroppedWithoutReleaseIsReported() {
        LeakCheck.install();
        LeakCheck.collectLeaks();
        leakOne();
        List<String> leaks = LeakCheck.collectLeaks();
        assertThat(leaks).hasSize(1);
        assertThat(leaks.get(0)).contains("LEAK").contains("leakOne");
    }

    private static void leakOne() {
        ByteBuf buf = Unpooled.directBuffer(16);
        buf.writeLong(42); // recorded access: the report names this method
        buf.touch("leakOne");
    }
}
