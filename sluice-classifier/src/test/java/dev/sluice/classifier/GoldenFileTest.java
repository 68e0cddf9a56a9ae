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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every line of {@code src/test/resources/cases/*.tsv} through the classifier (uncached, then a second time
 * through a cache) and compares all columns; a failure names the file and line. Columns: statement, type mask
 * ({@code READ|WRITE}), operation, tables ({@code ,}-separated or {@code -}), hints ({@code ;}-separated
 * {@link Hint#toString()} or {@code -}), canonical form ({@code *} = not checked), and optional extras
 * ({@code db=a,b fn=now,rand ps=name multi single prepared=READ}, values escaped like statements). Lines starting {@code #!} set the context for
 * the lines after them ({@code ansi_quotes no_backslash_escapes version=N temp=t1,t2}); other {@code #} lines are
 * comments.
 */
class GoldenFileTest {
    static final int MINIMUM_CASES = 250;

    @TestFactory
    Stream<DynamicTest> everyGoldenStatementClassifiesAsExpected() {
        MariaDbQueryClassifier uncached = MariaDbQueryClassifier.forWorker(0);
        MariaDbQueryClassifier cached = MariaDbQueryClassifier.forWorker(1 << 20);
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.where() + " " + abbreviate(c), () -> {
            check(c, uncached.classify(c.statement(), 0, c.statement().length, c.context()));
            cached.classify(c.statement(), 0, c.statement().length, c.context());
            check(c, cached.classify(c.statement(), 0, c.statement().length, c.context()));
        }));
    }

    @Test
    void goldenFilesHoldEnoughStatements() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(MINIMUM_CASES);
    }

    private static String abbreviate(GoldenCase c) {
        String text = new String(c.statement(), StandardCharsets.UTF_8);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    static void check(GoldenCase c, QueryInfo info) {
        String where = c.where() + ": " + new String(c.statement(), StandardCharsets.UTF_8) + "\n  got " + info;
        assertThat(QueryType.names(info.types())).as(where + "\n  types").isEqualTo(
                QueryType.names(QueryType.parse(c.types())));
        assertThat(info.operation().name()).as(where + "\n  operation").isEqualTo(c.operation());
        assertThat(join(info.tables(), ",")).as(where + "\n  tables").isEqualTo(c.tables());
        String hints = info.hints().stream().map(Hint::toString).collect(Collectors.joining(";"));
        assertThat(hints.isEmpty() ? "-" : hints).as(where + "\n  hints").isEqualTo(c.hints());
        if (!c.canonical().equals("*")) {
            assertThat(info.canonical()).as(where + "\n  canonical").isEqualTo(
                    new String(GoldenCase.unescape(c.canonical()), StandardCharsets.UTF_8));
        }
        for (String extra : c.extra().split("\\s+")) {
            checkExtra(where, extra, info);
        }
    }

    private static void checkExtra(String where, String extra, QueryInfo info) {
        if (extra.isEmpty()) {
            return;
        }
        int eq = extra.indexOf('=');
        String key = eq < 0 ? extra : extra.substring(0, eq);
        String value = eq < 0 ? "" : new String(GoldenCase.unescape(extra.substring(eq + 1)), StandardCharsets.UTF_8);
        switch (key) {
            case "db" -> assertThat(join(info.databases(), ",")).as(where + "\n  databases").isEqualTo(value);
            case "fn" -> assertThat(join(info.functions(), ",")).as(where + "\n  functions").isEqualTo(value);
            case "ps" -> assertThat(info.preparedName()).as(where + "\n  prepared name").isEqualTo(value);
            case "multi" -> assertThat(info.multiStatement()).as(where + "\n  multi-statement").isTrue();
            case "single" -> assertThat(info.multiStatement()).as(where + "\n  multi-statement").isFalse();
            case "prepared" -> {
                assertThat(info.prepared()).as(where + "\n  prepared").isNotNull();
                assertThat(QueryType.names(info.prepared().types())).as(where + "\n  prepared types")
                        .isEqualTo(QueryType.names(QueryType.parse(value)));
            }
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
