package dev.sluice.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line tool (the {@code mariadb} client, sysbench) as a child process and keeps what it printed.
 * Output goes through temporary files, so a chatty tool cannot block on a full pipe; the process is killed
 * (by its own handle) when it overruns its time.
 */
record ExternalCommand(int exit, String stdout, String stderr) {

    /** The lines of standard output, without the line ends. */
    List<String> lines() {
        return stdout.lines().toList();
    }

    /**
     * The {@code mariadb} client in batch mode ({@code -N -B}) as user app on {@code 127.0.0.1:port}, database
     * test: {@code -e sql} when {@code sql} is not null, {@code stdin} as its input, {@code extra} options.
     */
    static ExternalCommand mariadb(int port, String sql, String stdin, String... extra) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/mariadb", "--no-defaults", "-h", "127.0.0.1",
                "-P", String.valueOf(port), "-u", dev.sluice.testkit.MariaDbTopology.APP_USER,
                "--password=" + dev.sluice.testkit.MariaDbTopology.APP_PASSWORD, "-D", "test", "-N", "-B",
                "--connect-timeout=20"));
        cmd.addAll(List.of(extra));
        if (sql != null) {
            cmd.add("-e");
            cmd.add(sql);
        }
        return run(cmd, stdin, Duration.ofSeconds(90));
    }

    static ExternalCommand run(List<String> command, String stdin, Duration timeout) throws Exception {
        Path out = Files.createTempFile("sluice-it-cmd", ".out");
        Path err = Files.createTempFile("sluice-it-cmd", ".err");
        Path in = Files.createTempFile("sluice-it-cmd", ".in");
        try {
            Files.writeString(in, stdin == null ? "" : stdin);
            Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("did not finish in " + timeout + ": " + command + "\nstdout: "
                        + Files.readString(out, StandardCharsets.UTF_8) + "\nstderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new ExternalCommand(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(in);
        }
    }
}
