package dev.sluice.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Classifies every SQL statement of MariaDB's own regression suite ({@code mysql-test/**&#47;*.test}, from the
 * Debian package {@code mariadb-test-data}; directory from {@code -Dsluice.mysqlTestDir}, default
 * {@code /usr/share/mysql/mysql-test}). Asserts that nothing throws and no statement takes longer than the bound,
 * and prints how many statements were classified as unknown, so that the number can go down over time. Skipped
 * when the suite is not installed.
 */
class RegressionSuiteCorpusTest {
    private static final long MAX_NANOS_PER_STATEMENT = 50_000_000L;

    /** mysqltest commands that may appear without the {@code --} prefix; they are not SQL. */
    private static final Set<String> COMMANDS = Set.of("let", "eval", "connect", "connection", "disconnect",
            "source", "echo", "error", "if", "while", "}", "{", "inc", "dec", "sleep", "real_sleep", "send", "reap",
            "exec", "perl", "end", "die", "exit", "skip", "vertical_results", "horizontal_results", "replace_result",
            "replace_column", "replace_regex", "sorted_result", "remove_file", "write_file", "append_file",
            "cat_file", "file_exists", "copy_file", "move_file", "mkdir", "rmdir", "list_files", "send_eval",
            "sync_slave_with_master", "sync_with_master", "save_master_pos", "shutdown_server", "change_user",
            "result_format", "character_set", "lowercase_result", "ping", "query_vertical", "query_horizontal",
            "query", "send_quit", "wait_for_slave_to_stop", "enable_abort_on_error", "disable_abort_on_error",
            "exec_in_background", "remove_files_wildcard", "copy_files_wildcard", "partially_sorted_result",
            "assert", "chmod", "diff_files", "output", "reset_connection", "start_timer", "end_timer",
            "query_attributes", "expr", "dirty_close", "direct_execution", "disable_ps_protocol");

    static boolean suiteInstalled() {
        return Files.isDirectory(suiteDir());
    }

    private static Path suiteDir() {
        return Path.of(System.getProperty("sluice.mysqlTestDir", "/usr/share/mysql/mysql-test"));
    }

    @Test
    @EnabledIf("suiteInstalled")
    void everyStatementOfTheRegressionSuiteClassifiesWithoutErrorWithinTheTimeBound() throws IOException {
        StatementClassifier classifier = new StatementClassifier();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(suiteDir())) {
            files = walk.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        long statements = 0;
        long unknown = 0;
        long slowest = 0;
        String slowestStatement = "";
        Map<String, Integer> unknownByWord = new TreeMap<>();
        Map<String, String> samples = new TreeMap<>();
        for (Path file : files) {
            for (String sql : statements(Files.readAllBytes(file))) {
                byte[] bytes = sql.getBytes(StandardCharsets.ISO_8859_1);
                long start = threads.getCurrentThreadCpuTime();
                QueryInfo info = classifier.classifyUnchecked(bytes, 0, bytes.length, false, false, 999999);
                long nanos = threads.getCurrentThreadCpuTime() - start;
                statements++;
                if (nanos > slowest) {
                    slowest = nanos;
                    slowestStatement = file.getFileName() + ": " + abbreviate(sql);
                }
                if (info.isAny(QueryType.UNKNOWN)) {
                    unknown++;
                    if (unknownByWord.merge(firstWord(sql), 1, Integer::sum) == 1) {
                        samples.put(firstWord(sql), file.getFileName() + ": " + abbreviate(sql));
                    }
                }
            }
        }
        System.out.printf("regression corpus: %d files, %d statements, %d unknown (%.2f%%), slowest %d us (%s)%n",
                files.size(), statements, unknown, 100.0 * unknown / Math.max(statements, 1), slowest / 1000,
                slowestStatement);
        unknownByWord.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(25)
                .forEach(e -> System.out.printf("  unknown %-24s %6d  e.g. %s%n", e.getKey(), e.getValue(),
                        samples.get(e.getKey())));
        assertThat(statements).isGreaterThan(0);
        assertThat(slowest).as(slowestStatement).isLessThan(MAX_NANOS_PER_STATEMENT);
    }

    /** Splits a mysqltest file into SQL statements, following {@code delimiter} changes. */
    static List<String> statements(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        String delimiter = ";";
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (current.length() == 0) {
                if (trimmed.isEmpty() || trimmed.startsWith("--") || trimmed.startsWith("#")) {
                    continue;
                }
                String word = firstWord(trimmed);
                if (word.equals("delimiter")) {
                    delimiter = trimmed.substring(9).strip();
                    if (delimiter.endsWith(";") && delimiter.length() > 1) {
                        delimiter = delimiter.substring(0, delimiter.length() - 1);
                    }
                    continue;
                }
                if (COMMANDS.contains(word) || word.startsWith("enable_") || word.startsWith("disable_")
                        || trimmed.contains("$")) {
                    if (!trimmed.endsWith(delimiter) && (word.equals("if") || word.equals("while")
                            || word.equals("}") || word.equals("{"))) {
                        continue;
                    }
                    if (trimmed.endsWith(delimiter)) {
                        continue;
                    }
                }
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(delimiter)) {
                String statement = current.toString().strip();
                statement = statement.substring(0, statement.length() - delimiter.length());
                if (!firstWord(statement).isEmpty() && !COMMANDS.contains(firstWord(statement))
                        && !statement.contains("$")) {
                    out.add(statement);
                }
                current.setLength(0);
            }
        }
        return out;
    }

    private static String firstWord(String sql) {
        String trimmed = sql.strip();
        int end = 0;
        while (end < trimmed.length() && !Character.isWhitespace(trimmed.charAt(end)) && trimmed.charAt(end) != '('
                && trimmed.charAt(end) != ';') {
            end++;
        }
        return trimmed.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String sql) {
        String flat = sql.replace('\n', ' ');
        return flat.length() > 100 ? flat.substring(0, 100) + "..." : flat;
    }
}
