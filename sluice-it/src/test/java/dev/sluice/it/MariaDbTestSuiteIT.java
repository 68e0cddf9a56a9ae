package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MariaDB's own regression tests (Debian package {@code mariadb-test}: {@code mariadb-test}, the mysqltest
 * program, and the {@code mysql-test} files) run through Sluice, through readwritesplit and readconnroute, in the
 * text protocol and with {@code --ps-protocol} (every statement prepared and executed in the binary protocol).
 * Each file's output must equal its {@code .result} file, as against the server itself; a file that does not
 * finish within {@link #PER_FILE} fails (a proxy that loses a reply makes mysqltest wait forever).
 *
 * <p>The files: the five that hung through readwritesplit (issue 10: stored procedures that open cursors, whose
 * later result sets carry SERVER_STATUS_CURSOR_EXISTS). The servers run with the settings mysql-test-run gives
 * its own ({@code include/default_mysqld.cnf}: latin1, MyISAM, log_bin_trust_function_creators), on a topology of
 * their own (the files drop and create tables in {@code test}).
 *
 * <p>readwritesplit runs with what a splitter needs to behave like one server for such scripts, as MaxScale
 * documents: {@code causal_reads=local} (a read after a write waits until the replica has it) and
 * {@code use_sql_variables_in=master} (a user variable set as a procedure's OUT parameter exists only on the
 * primary). Excluded files (none yet) are listed in {@link #EXCLUDED} with the reason.
 */
@MariaDbCluster(replicas = 1, shared = false, cnf = {"character_set_server=latin1",
        "collation_server=latin1_swedish_ci", "default_storage_engine=MyISAM", "log_bin_trust_function_creators=1"})
@EnabledIf("suiteInstalled")
class MariaDbTestSuiteIT {
    static final Path SUITE = Path.of(System.getProperty("sluice.mysqlTestDir", "/usr/share/mysql/mysql-test"));
    static final Path MYSQLTEST = Path.of("/usr/bin/mariadb-test");
    static final List<String> FILES = List.of("main/sp-cursor", "main/sp-row", "main/sp-expr", "main/signal",
            "main/sp-anchor-row-type-cursor");
    /** File → why it cannot pass through a read/write splitter. */
    static final java.util.Map<String, String> EXCLUDED = java.util.Map.of();
    static final Duration PER_FILE = Duration.ofSeconds(120);
    static final String USER = "mtr";
    static final String PASSWORD = "mtrpwd";

    static MariaDbTopology topology;
    static SluiceFixture sluice;
    static Path work;

    static boolean suiteInstalled() {
        return Files.isDirectory(SUITE.resolve("main")) && Files.isExecutable(MYSQLTEST);
    }

    @BeforeAll
    static void start() throws Exception {
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            // mysqltest's own account: the files create users, procedures, databases
            s.execute("CREATE OR REPLACE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
        String cnf = SluiceFixture.readWriteSplit(topology, "causal_reads=local\nuse_sql_variables_in=master\n")
                + SluiceFixture.service("ReadConnRoute", "master", "db1", "ReadConnRoute-Listener", "");
        sluice = SluiceFixture.start(topology, cnf);
        work = Files.createTempDirectory(topology.directory(), "mysqltest");
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (String listener : List.of("RW-Listener", "ReadConnRoute-Listener")) {
            for (boolean ps : new boolean[] {false, true}) {
                for (String file : FILES) {
                    if (!EXCLUDED.containsKey(file)) {
                        out.add(Arguments.of(listener, ps, file));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} ps-protocol={1} {2}")
    @MethodSource("runs")
    void theFilesOutputMatchesItsResult(String listener, boolean psProtocol, String file) throws Exception {
        resetTestDatabase();
        String name = Path.of(file).getFileName().toString();
        Path result = work.resolve(name + ".result");
        Files.copy(SUITE.resolve(file + ".result"), result, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path reject = work.resolve(name + ".reject");
        Files.deleteIfExists(reject);
        List<String> cmd = new ArrayList<>(List.of(MYSQLTEST.toString(), "--no-defaults", "--host=127.0.0.1",
                "--port=" + sluice.port(listener), "--user=" + USER, "--password=" + PASSWORD, "--database=test",
                "--basedir=" + SUITE + "/", "--test-file=" + SUITE.resolve(file + ".test"),
                "--result-file=" + result, "--tmpdir=" + work, "--logdir=" + work, "--silent"));
        if (psProtocol) {
            cmd.add("--ps-protocol");
        }
        ExternalCommand run = ExternalCommand.run(cmd, null, PER_FILE);
        String diff = Files.exists(reject) ? diff(result, reject) : "";
        assertThat(run.exit()).as("mysqltest %s through %s (ps-protocol=%s)%nstdout: %s%nstderr: %s%n%s", file,
                listener, psProtocol, tail(run.stdout()), tail(run.stderr()), diff).isZero();
    }

    /** A fresh {@code test} database (and none of the others the files create), as mysql-test-run gives each file. */
    private static void resetTestDatabase() throws Exception {
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            for (String db : List.of("test", "mysqltest", "mysqltest1", "mysqltest2", "db1")) {
                s.execute("DROP DATABASE IF EXISTS " + db);
            }
            s.execute("CREATE DATABASE test");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
    }

    private static String diff(Path expected, Path actual) throws Exception {
        ExternalCommand d = ExternalCommand.run(List.of("diff", "-u", expected.toString(), actual.toString()), null,
                Duration.ofSeconds(30));
        return tail(d.stdout());
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : "…" + s.substring(s.length() - 4000);
    }
}
