package dev.sluice.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An initialised, never-started datadir (system tables only), made once per binaries and directory by
 * {@code mariadb-install-db} and copied for every node: one install instead of one per node saves seconds
 * per topology. Nodes get their accounts later, over the socket, with {@code sql_log_bin=0}.
 *
 * <p>Root gets {@code --auth-root-authentication-method=normal} (an empty native password) because
 * Connector/J cannot do unix_socket authentication; the first start sets {@link MariaDbTopology#ROOT_PASSWORD}.
 *
 * <p>Creation is serialised within the JVM and atomic on disk (built in a temporary directory, then renamed).
 */
final class DatadirTemplate {

    private static final Object LOCK = new Object();

    private DatadirTemplate() {
    }

    /** The template datadir for these binaries under {@code parent}, created on first use. */
    static Path ensure(MariaDbBinaries binaries, Path parent) throws IOException {
        Path template = parent.resolve("template-" + binaries.source().name().toLowerCase() + "-"
                + Integer.toHexString(binaries.mariadbd().toString().hashCode()));
        synchronized (LOCK) {
            if (Files.isRegularFile(template.resolve(".complete"))) {
                return template.resolve("data");
            }
            Files.createDirectories(parent);
            Path work = Files.createTempDirectory(parent, "template-build-");
            Files.createDirectories(work.resolve("data"));
            Files.createDirectories(work.resolve("tmp"));
            Path cnf = work.resolve("install.cnf");
            Files.writeString(cnf, MyCnf.common(binaries, work.resolve("data"), work.resolve("tmp")).toString());
            List<String> command = new ArrayList<>(List.of(binaries.installDb().toString(),
                    "--defaults-file=" + cnf, "--user=root", "--skip-test-db", "--skip-name-resolve",
                    "--auth-root-authentication-method=normal", "--datadir=" + work.resolve("data")));
            binaries.basedir().ifPresent(base -> command.add("--basedir=" + base));
            Path log = work.resolve("install.log");
            Process install = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
            ChildProcesses.register(install);
            try {
                if (!install.waitFor(180, TimeUnit.SECONDS)) {
                    install.destroyForcibly();
                    throw new IOException("mariadb-install-db did not finish in 180 s; log: " + log);
                }
                if (install.exitValue() != 0) {
                    throw new IOException("mariadb-install-db failed (exit " + install.exitValue() + "): "
                            + tail(log, 30));
                }
            } catch (InterruptedException e) {
                install.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running mariadb-install-db", e);
            } finally {
                ChildProcesses.unregister(install);
            }
            Files.writeString(work.resolve(".complete"), binaries.mariadbd() + "\n");
            MariaDbBinaries.deleteTree(template);
            Files.move(work, template, StandardCopyOption.ATOMIC_MOVE);
            return template.resolve("data");
        }
    }

    /** Copies a template datadir into {@code target} (which must not exist yet). */
    static void copy(Path templateData, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(templateData)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                Path dest = target.resolve(templateData.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(source, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }
}
