package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.MariaDbTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Running sysbench {@code oltp_read_write} through a listener and reading what it printed with {@code --verbosity=5}. */
final class SysbenchOutput {
    private SysbenchOutput() {
    }

    /**
     * Runs sysbench {@code oltp_read_write} (two tables of {@code tableSize} rows in {@code test}, four threads,
     * as the {@code app} user) against 127.0.0.1:port; returns its output and fails on a non-zero exit.
     */
    static String run(int port, String command, int seconds, int tableSize, String... options)
            throws java.io.IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("sysbench", "oltp_read_write", "--db-driver=mysql",
                "--mysql-host=127.0.0.1", "--mysql-port=" + port, "--mysql-user=" + MariaDbTopology.APP_USER,
                "--mysql-password=" + MariaDbTopology.APP_PASSWORD, "--mysql-db=test", "--tables=2",
                "--table-size=" + tableSize, "--threads=4", "--mysql-ssl=off", "--verbosity=5"));
        if (seconds > 0) {
            cmd.add("--time=" + seconds);
        }
        cmd.addAll(List.of(options));
        cmd.add(command);
        java.nio.file.Path log = java.nio.file.Files.createTempFile("sysbench-" + command, ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String out;
        try {
            boolean finished = p.waitFor(seconds + 120, java.util.concurrent.TimeUnit.SECONDS);
            out = java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.UTF_8);
            if (!finished) {
                throw new IllegalStateException("sysbench did not finish; output:\n" + out);
            }
        } finally {
            p.destroyForcibly();
            java.nio.file.Files.deleteIfExists(log);
        }
        assertThat(p.exitValue()).as("sysbench %s exit code; output:%n%s", command, out).isZero();
        return out;
    }

    /** A counter of sysbench's summary, e.g. {@code transactions}, {@code ignored errors}, {@code reconnects}. */
    static long counter(String sysbenchOutput, String name) {
        Matcher m = Pattern.compile(name + ":\\s+(\\d+)").matcher(sysbenchOutput);
        assertThat(m.find()).as("'%s' in sysbench output:%n%s", name, sysbenchOutput).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The error codes sysbench ignored (and retried), one per occurrence, repeats folded by sysbench included. */
    static List<String> ignoredErrorCodes(String sysbenchOutput) {
        // sysbench folds repeats of a message into "(last message repeated N times)" on the next line
        List<String> codes = new ArrayList<>();
        Pattern ignoring = Pattern.compile("Ignoring error (\\d+)");
        Pattern repeated = Pattern.compile("^\\(last message repeated (\\d+) times\\)");
        String last = null;
        for (String line : sysbenchOutput.split("\n")) {
            Matcher r = repeated.matcher(line.trim());
            if (r.find()) {
                for (int i = 0; last != null && i < Integer.parseInt(r.group(1)); i++) {
                    codes.add(last);
                }
                continue;
            }
            Matcher m = ignoring.matcher(line);
            last = m.find() ? m.group(1) : null;
            if (last != null) {
                codes.add(last);
            }
        }
        return codes;
    }
}
