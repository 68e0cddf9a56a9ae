package dev.sluice.bench.classifier;

import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.classifier.MariaDbQueryClassifier;
import java.util.List;
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
 * Cost of one {@code classify()} call, in ns per statement, on one thread (one worker):
 * <ul>
 *   <li>{@code uncachedSysbench}: sysbench OLTP statements, each with its own literals, cache off;</li>
 *   <li>{@code uncachedMix}: a mix of application statements from the golden files, cache off;</li>
 *   <li>{@code cachedSysbench}/{@code cachedMix}: the same statements repeated, so every call is a cache hit.</li>
 * </ul>
 * Each benchmark state is confined to its benchmark thread, as a classifier is confined to its worker.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClassifierBenchmark {
    private static final int SYSBENCH_STATEMENTS = 4096;

    private List<byte[]> sysbench;
    private List<byte[]> mix;
    private MariaDbQueryClassifier uncached;
    private MariaDbQueryClassifier cached;
    private int next;

    @Setup
    public void setUp() {
        sysbench = StatementMix.sysbench(SYSBENCH_STATEMENTS, 42);
        mix = StatementMix.golden();
        uncached = MariaDbQueryClassifier.forWorker(0);
        cached = MariaDbQueryClassifier.forWorker(64L << 20);
        for (byte[] sql : sysbench) {
            cached.classify(sql, 0, sql.length, QueryContext.DEFAULT);
        }
        for (byte[] sql : mix) {
            cached.classify(sql, 0, sql.length, QueryContext.DEFAULT);
        }
    }

    /** Classifies the next statement of the list, round-robin. */
    private QueryInfo classifyNext(MariaDbQueryClassifier classifier, List<byte[]> statements) {
        next = next + 1 >= statements.size() ? 0 : next + 1;
        byte[] sql = statements.get(next);
        return classifier.classify(sql, 0, sql.length, QueryContext.DEFAULT);
    }

    @Benchmark
    public QueryInfo uncachedSysbench() {
        return classifyNext(uncached, sysbench);
    }

    @Benchmark
    public QueryInfo uncachedMix() {
        return classifyNext(uncached, mix);
    }

    @Benchmark
    public QueryInfo cachedSysbench() {
        return classifyNext(cached, sysbench);
    }

    @Benchmark
    public QueryInfo cachedMix() {
        return classifyNext(cached, mix);
    }
}
