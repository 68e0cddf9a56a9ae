package dev.sluice.bench.reply;

import dev.sluice.protocol.Command;
import dev.sluice.protocol.ReplyTracker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the protocol layer spends reading one whole reply ({@link ReplyTracker}, which since the typed
 * {@code Reply} also decodes OK packets, ERR packets and counts rows), in ns per reply:
 * <ul>
 *   <li>{@code ok}: an INSERT's OK (affected rows, insert id, status);</li>
 *   <li>{@code error}: an ERR (code, SQLSTATE, message);</li>
 *   <li>{@code resultSet10}: a result set of one column and ten rows, classic EOFs.</li>
 * </ul>
 * Uses only the API that existed before the typed Reply, so the same source measures both versions (see
 * docs/performance.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ReplyPathBenchmark {
    private ReplyTracker tracker;
    private ByteBuf ok;
    private ByteBuf err;
    private ByteBuf[] resultSet;

    @Setup
    public void setUp() {
        tracker = new ReplyTracker(false);
        ok = packet(1, 0x00, 1, 0xfc, 0x2c, 0x01, 0x02, 0, 0, 0);
        byte[] msg = "#42S02Table 'test.t' doesn't exist".getBytes(StandardCharsets.US_ASCII);
        byte[] errPayload = new byte[3 + msg.length];
        errPayload[0] = (byte) 0xff;
        errPayload[1] = (byte) 0x7a; // 1146
        errPayload[2] = 0x04;
        System.arraycopy(msg, 0, errPayload, 3, msg.length);
        err = Unpooled.buffer().writeMediumLE(errPayload.length).writeByte(1).writeBytes(errPayload);
        resultSet = new ByteBuf[14];
        resultSet[0] = packet(1, 1);
        resultSet[1] = packet(2, 3, 'd', 'e', 'f', 0, 0, 0, 1, 'a', 0, 0x0c, 0x21, 0, 0xff, 0, 0, 0, 0xfd, 0, 0, 0, 0, 0);
        resultSet[2] = packet(3, 0xfe, 0, 0, 0x02, 0);
        for (int i = 0; i < 10; i++) {
            resultSet[3 + i] = packet(4 + i, 5, 'v', 'a', 'l', 'u', '0' + i);
        }
        resultSet[13] = packet(14, 0xfe, 0, 0, 0x02, 0);
    }

    private static ByteBuf packet(int sequence, int... payload) {
        ByteBuf b = Unpooled.buffer(4 + payload.length).writeMediumLE(payload.length).writeByte(sequence);
        for (int x : payload) {
            b.writeByte(x);
        }
        return b;
    }

    @Benchmark
    public boolean ok() {
        tracker.commandSent(Command.COM_QUERY);
        return tracker.onPacket(ok);
    }

    @Benchmark
    public boolean error() {
        tracker.commandSent(Command.COM_QUERY);
        return tracker.onPacket(err);
    }

    @Benchmark
    public boolean resultSet10() {
        tracker.commandSent(Command.COM_QUERY);
        boolean done = false;
        for (ByteBuf p : resultSet) {
            done = tracker.onPacket(p);
        }
        return done;
    }
}
