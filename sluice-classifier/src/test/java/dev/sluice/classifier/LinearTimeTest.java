package dev.sluice.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Adversarial inputs cost time linear in their length: classifying four times the input takes about four times
 * as long, not sixteen. The bound is generous (10x), each size is timed as the best of several runs, and the time
 * is the thread's CPU time, so a loaded machine does not make it flaky while a quadratic pass still fails it.
 */
class LinearTimeTest {
    private static final int SMALL = 64 * 1024;
    private static final int RUNS = 7;

    /** A pattern repeated to the wanted size, after an optional prefix; {@code %d} in the unit counts repeats. */
    record Pattern(String name, String prefix, String unit, String suffix) {
        byte[] build(int size) {
            StringBuilder sql = new StringBuilder(size + 64).append(prefix);
            for (int n = 0; sql.length() < size; n++) {
                sql.append(unit.replace("%d", Integer.toString(n)));
            }
            return sql.append(suffix).toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    @Provide
    Arbitrary<Pattern> adversarial() {
        return Arbitraries.of(
                new Pattern("deep nesting", "SELECT ", "(", "1"),
                new Pattern("deep nesting in FROM", "SELECT * FROM ", "(SELECT a FROM ", "t"),
                new Pattern("huge IN list", "SELECT * FROM t WHERE a IN (", "123, 'x', ", "0)"),
                new Pattern("many tables", "SELECT * FROM ", "t%d, db.t%d, `q%d`, ", "t0"),
                new Pattern("many functions called", "SELECT ", "f%d(1), ", "1"),
                new Pattern("unterminated string", "SELECT '", "abc\\' ", ""),
                new Pattern("unterminated comment", "SELECT 1 /* ", "* / ", ""),
                new Pattern("unterminated executable comment", "/*!50000 SELECT ", "a, ", ""),
                new Pattern("many statements", "", "SELECT 1;", ""),
                new Pattern("empty statements", "", ";", ""),
                new Pattern("open blocks", "CREATE PROCEDURE p() ", "BEGIN IF x THEN LOOP ", ""),
                new Pattern("many assignments", "SET ", "@a=1, autocommit=0, ", "@b=2"),
                new Pattern("hint comments", "SELECT 1 ", "/* maxscale route to server s */", ""),
                new Pattern("user variables", "SELECT ", "@a:=@b, @@x, ", "1"),
                new Pattern("many functions", "SELECT ", "f(g(h(", ""),
                new Pattern("invalid UTF-8", "SELECT ", "\u00ff\u00fe\u00c3(", ""),
                new Pattern("CTE list", "WITH ", "c AS (SELECT 1), ", "d AS (SELECT 2) SELECT 1"),
                new Pattern("nested SET STATEMENT", "", "SET STATEMENT a=1 FOR ", "SELECT 1"),
                new Pattern("SET STATEMENT without FOR", "", "SET STATEMENT a=(1) SELECT 1;", ""),
                new Pattern("stored programs", "", "CREATE PROCEDURE p() BEGIN SELECT 1; END;", ""),
                new Pattern("many INTO targets", "SELECT a INTO ", "@a, ", "@b FROM t"));
    }

    @Property(tries = 21, generation = GenerationMode.EXHAUSTIVE)
    void costGrowsLinearlyWithInputLength(@ForAll("adversarial") Pattern pattern) {
        StatementClassifier classifier = new StatementClassifier();
        byte[] small = pattern.build(SMALL);
        byte[] large = pattern.build(SMALL * 4);
        // Warm both sizes first so that JIT compilation does not land inside one of the measurements.
        best(classifier, small);
        best(classifier, large);
        long smallNanos = best(classifier, small);
        long largeNanos = best(classifier, large);
        assertThat((double) largeNanos / Math.max(smallNanos, 1))
                .as("%s: %d ns for %d bytes, %d ns for %d bytes", pattern.name(), smallNanos, small.length,
                        largeNanos, large.length)
                .isLessThan(10.0);
    }

    /** The least CPU time of this thread over several runs: time spent descheduled on a busy machine is not counted. */
    private static long best(StatementClassifier classifier, byte[] sql) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        for (int run = 0; run < RUNS; run++) {
            long start = threads.getCurrentThreadCpuTime();
            classifier.classifyUnchecked(sql, 0, sql.length, false, false, 999999);
            best = Math.min(best, threads.getCurrentThreadCpuTime() - start);
        }
        return best;
    }
}
