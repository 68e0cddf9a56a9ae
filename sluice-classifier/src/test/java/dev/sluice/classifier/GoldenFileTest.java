package dev.sluice.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.query.Hint;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every line of {@code src/test/resources/cases/*.tsv} through the classifier (uncached, then a second time
 * through a cache) and compares all columns; one test per file fails listing every mismatching file:line. Columns: statement, type mask
 * ({@code READ|WRITE}), operation, tables ({@code ,}-separated or {@code -}), hints ({@code ;}-separated
 * {@link Hint#toString()} or {@code -}), canonical form ({@code *} = not checked), and optional extras
 * ({@code db=a,b fn=now,rand ps=name multi single prepared=READ}, values escaped like statements). Lines starting {@code #!} set the context for
 * the lines after them ({@code ansi_quotes no_backslash_escapes version=N temp=t1,t2}); other {@code #} lines are
 * comments.
 */
class GoldenFileTest {
    static final int MINIMUM_CASES = 1500;

    @TestFactory
    Stream<DynamicTest> everyGoldenStatementClassifiesAsExpected() {
        Map<String, List<GoldenCase>> byFile = new TreeMap<>();
        for (GoldenCase c : cases()) {
            byFile.computeIfAbsent(c.file(), f -> new ArrayList<>()).add(c);
        }
        return byFile.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> checkAll(e.getValue())));
    }

    /** Checks every case (uncached, then cached) and fails once, listing every failing line. */
    private static void checkAll(List<GoldenCase> cases) {
        MariaDbQueryClassifier uncached = MariaDbQueryClassifier.forWorker(0);
        MariaDbQueryClassifier cached = MariaDbQueryClassifier.forWorker(1 << 20);
        List<String> failures = new ArrayList<>();
        for (GoldenCase c : cases) {
            byte[] sql = c.statement();
            failures.addAll(mismatches(c, uncached.classify(sql, 0, sql.length, c.context())));
            cached.classify(sql, 0, sql.length, c.context());
            failures.addAll(mismatches(c, cached.classify(sql, 0, sql.length, c.context())));
        }
        assertThat(failures).as("golden mismatches").isEmpty();
    }

    @Test
    void goldenFilesHoldEnoughStatements() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(MINIMUM_CASES);
    }

    /** One message per differing column, each naming file, line, statement and the whole result. */
    static List<String> mismatches(GoldenCase c, QueryInfo info) {
        List<String> out = new ArrayList<>();
        String where = c.where() + ": " + new String(c.statement(), StandardCharsets.UTF_8);
        compare(out, where, "types", QueryType.names(QueryType.parse(c.types())), QueryType.names(info.types()));
        compare(out, where, "operation", c.operation(), info.operation().name());
        compare(out, where, "tables", c.tables(), join(info.tables(), ","));
        String hints = info.hints().stream().map(Hint::toString).collect(Collectors.joining(";"));
        compare(out, where, "hints", c.hints(), hints.isEmpty() ? "-" : hints);
        if (!c.canonical().equals("*")) {
            compare(out, where, "canonical", new String(GoldenCase.unescape(c.canonical()), StandardCharsets.UTF_8),
                    info.canonical());
        }
        for (String extra : c.extra().split("\\s+")) {
            if (!extra.isEmpty()) {
                checkExtra(out, where, extra, info);
            }
        }
        return out;
    }

    private static void compare(List<String> out, String where, String column, String expected, String actual) {
        if (!expected.equals(actual)) {
            out.add(where + "\n    " + column + ": expected <" + expected + "> but was <" + actual + ">");
        }
    }

    private static void checkExtra(List<String> out, String where, String extra, QueryInfo info) {
        int eq = extra.indexOf('=');
        String key = eq < 0 ? extra : extra.substring(0, eq);
        String value = eq < 0 ? "" : new String(GoldenCase.unescape(extra.substring(eq + 1)), StandardCharsets.UTF_8);
        switch (key) {
            case "db" -> compare(out, where, "databases", value, join(info.databases(), ","));
            case "fn" -> compare(out, where, "functions", value, join(info.functions(), ","));
            case "ps" -> compare(out, where, "prepared name", value, info.preparedName());
            case "multi" -> compare(out, where, "multi-statement", "true", String.valueOf(info.multiStatement()));
            case "single" -> compare(out, where, "multi-statement", "false", String.valueOf(info.multiStatement()));
            case "prepared" -> compare(out, where, "prepared types", QueryType.names(QueryType.parse(value)),
                    info.prepared() == null ? "<none>" : QueryType.names(info.prepared().types()));
            default -> throw new IllegalArgumentException(where + ": unknown extra column key " + key);
        }
    }

    private static String join(List<String> names, String separator) {
        return names.isEmpty() ? "-" : String.join(separator, names);
    }

    static List<GoldenCase> cases() {
        try {
            Path dir = Path.of(GoldenFileTest.class.getResource("/cases").toURI());
            List<GoldenCase> all = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".tsv")).sorted().toList()) {
                    all.addAll(read(file));
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<GoldenCase> read(Path file) throws IOException {
        List<GoldenCase> cases = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        QueryContext context = QueryContext.DEFAULT;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.startsWith("#!")) {
                context = GoldenCase.directive(line);
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            String where = file.getFileName() + ":" + (n + 1);
            if (cols.length < 6 || cols.length > 7) {
                throw new IllegalArgumentException(where + ": expected 6 or 7 tab-separated columns, got "
                        + cols.length);
            }
            cases.add(new GoldenCase(file.getFileName().toString(), n + 1, GoldenCase.unescape(cols[0]), context,
                    cols[1], cols[2], cols[3], cols[4], cols[5], cols.length == 7 ? cols[6] : ""));
        }
        return cases;
    }
}
