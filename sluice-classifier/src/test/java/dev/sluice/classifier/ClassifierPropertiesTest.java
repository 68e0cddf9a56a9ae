package dev.sluice.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.query.QueryInfo;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties that hold for every input: classification never throws (checked on the path without the safety
 * net), the canonical form is a fixed point, and the cost is linear in the input length.
 */
class ClassifierPropertiesTest {
    private static final List<byte[]> GOLDEN = GoldenFileTest.cases().stream().map(GoldenCase::statement).toList();

    private final StatementClassifier classifier = new StatementClassifier();

    @Property(tries = 3000)
    void randomBytesNeverThrow(@ForAll @Size(max = 600) byte[] sql, @ForAll boolean ansiQuotes,
                               @ForAll boolean noBackslashEscapes) {
        QueryInfo info = classifier.classifyUnchecked(sql, 0, sql.length, ansiQuotes, noBackslashEscapes, 100500);
        assertThat(info.canonical().length()).isLessThanOrEqualTo(sql.length * 3 + 1);
    }

    @Property(tries = 3000)
    void mutatedGoldenStatementsNeverThrow(@ForAll("mutatedGolden") byte[] sql, @ForAll boolean ansiQuotes,
                                           @ForAll boolean noBackslashEscapes) {
        classifier.classifyUnchecked(sql, 0, sql.length, ansiQuotes, noBackslashEscapes, 999999);
    }

    @Property(tries = 2000)
    void canonicalFormIsIdempotent(@ForAll("mutatedGolden") byte[] sql) {
        String once = classifier.classifyUnchecked(sql, 0, sql.length, false, false, 999999).canonical();
        byte[] onceBytes = once.getBytes(StandardCharsets.UTF_8);
        String twice = classifier.classifyUnchecked(onceBytes, 0, onceBytes.length, false, false, 999999)
                .canonical();
        assertThat(twice).isEqualTo(once);
    }

    @Property(tries = 500)
    void goldenStatementsClassifyAtAnyOffsetInALargerBuffer(@ForAll("golden") byte[] sql,
                                                            @ForAll @IntRange(max = 40) int before) {
        byte[] padded = new byte[before + sql.length + 7];
        Arrays.fill(padded, (byte) '\'');
        System.arraycopy(sql, 0, padded, before, sql.length);
        QueryInfo alone = classifier.classifyUnchecked(sql, 0, sql.length, false, false, 999999);
        QueryInfo inside = classifier.classifyUnchecked(padded, before, sql.length, false, false, 999999);
        assertThat(inside).isEqualTo(alone);
    }

    @Provide
    Arbitrary<byte[]> golden() {
        return Arbitraries.of(GOLDEN);
    }

    @Provide
    Arbitrary<byte[]> mutatedGolden() {
        Arbitrary<int[]> mutation = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(1, 12)).as((kind, at, value, length) -> new int[] {kind, at, value,
            length});
        return Combinators.combine(golden(), mutation.list().ofMaxSize(6)).as(ClassifierPropertiesTest::mutate);
    }

    /** Applies edits: delete, insert a byte, replace a byte, duplicate a run, truncate, insert SQL punctuation. */
    static byte[] mutate(byte[] original, List<int[]> mutations) {
        byte[] sql = original.clone();
        for (int[] m : mutations) {
            int at = sql.length == 0 ? 0 : m[1] % (sql.length + 1);
            int length = Math.min(m[3], sql.length - at);
            switch (m[0]) {
                case 0 -> sql = splice(sql, at, length, new byte[0]);
                case 1 -> sql = splice(sql, at, 0, new byte[] {(byte) m[2]});
                case 2 -> {
                    if (at < sql.length) {
                        sql[at] = (byte) m[2];
                    }
                }
                case 3 -> sql = splice(sql, at, 0, Arrays.copyOfRange(sql, at, at + length));
                case 4 -> sql = Arrays.copyOf(sql, at);
                default -> {
                    byte[][] pieces = {"'".getBytes(), "/*".getBytes(), "*/".getBytes(), "/*!".getBytes(),
                        "-- ".getBytes(), "(".getBytes(), ";".getBytes(), "`".getBytes(), "\"".getBytes(),
                        "\\".getBytes(), " BEGIN ".getBytes(), " END ".getBytes(), "@".getBytes()};
                    sql = splice(sql, at, 0, pieces[m[2] % pieces.length]);
                }
            }
        }
        return sql;
    }

    private static byte[] splice(byte[] sql, int at, int remove, byte[] insert) {
        byte[] out = new byte[sql.length - remove + insert.length];
        System.arraycopy(sql, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(sql, at + remove, out, at + insert.length, sql.length - at - remove);
        return out;
    }
}
