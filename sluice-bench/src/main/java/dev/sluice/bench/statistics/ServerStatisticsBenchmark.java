package dev.sluice.bench.statistics;

import dev.sluice.server.core.ServerStatistics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one request/reply costs the statistics, in ns, with two threads (two workers) recording for the same
 * server at once:
 * <ul>
 *   <li>{@code workerSlot}: what BackendConnection does, two clock reads and a worker's own single-writer
 *       slot ({@link ServerStatistics.Slot});</li>
 *   <li>{@code sharedLongAdders}: the same figures in LongAdders shared by the workers, for comparison;</li>
 *   <li>{@code clockOnly}: the two {@code System.nanoTime()} calls alone.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(2)
public class ServerStatisticsBenchmark {
    @State(Scope.Benchmark)
    public static class Shared {
        final ServerStatistics statistics = new ServerStatistics();
        final LongAdder active = new LongAdder();
        final LongAdder[] counts = adders();
        final LongAdder[] totals = adders();

        private static LongAdder[] adders() {
            LongAdder[] a = new LongAdder[ServerStatistics.BUCKETS];
            for (int i = 0; i < a.length; i++) {
                a[i] = new LongAdder();
            }
            return a;
        }
    }

    @State(Scope.Thread)
    public static class Worker {
        private static final AtomicInteger NEXT = new AtomicInteger();
        ServerStatistics.Slot slot;

        @org.openjdk.jmh.annotations.Setup
        public void setUp(Shared shared) {
            slot = shared.statistics.slot(NEXT.getAndIncrement());
        }
    }

    @Benchmark
    public void workerSlot(Worker w) {
        long start = System.nanoTime();
        w.slot.operationStarted();
        w.slot.operationEnded(System.nanoTime() - start, true);
    }

    @Benchmark
    public void sharedLongAdders(Shared s) {
        long start = System.nanoTime();
        s.active.increment();
        long nanos = System.nanoTime() - start;
        s.active.decrement();
        int bucket = nanos <= 1_000 ? 0 : Math.min(ServerStatistics.BUCKETS - 1,
                (int) Math.ceil(Math.log10(nanos / 1_000.0)));
        s.counts[bucket].increment();
        s.totals[bucket].add(nanos);
    }

    @Benchmark
    public long clockOnly() {
        long start = System.nanoTime();
        return System.nanoTime() - start;
    }
}
