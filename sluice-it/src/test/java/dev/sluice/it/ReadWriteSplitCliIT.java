package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * readwritesplit through the {@code mariadb} command-line client, run as a process in batch mode
 * ({@code -N -B}) against Sluice's port, the way an operator would check a setup by hand. Where a statement
 * ran is read from {@code @@port} in its output.
 */
@MariaDbCluster(replicas = 2)
class ReadWriteSplitCliIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    static String primaryPort;
    static final Set<String> REPLICA_PORTS = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        primaryPort = String.valueOf(topology.primary().port());
        for (MariaDbNode r : topology.replicas()) {
            REPLICA_PORTS.add(String.valueOf(r.port()));
        }
        try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement()) {
            st.execute("DROP TABLE IF EXISTS test.rwscli");
            st.execute("CREATE TABLE test.rwscli (id INT PRIMARY KEY, sid INT)");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
        sluice = SluiceFixture.start(topology, SluiceFixture.readWriteSplit(topology, ""));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    /** {@code mariadb -h 127.0.0.1 -P <sluice> -u app -D test -N -B [extra] [-e sql]}, stdin from {@code script}. */
    private static Run mariadb(String sql, String script, String... extra) throws Exception {
        ExternalCommand c = ExternalCommand.mariadb(sluice.port("RW-Listener"), sql, script, extra);
        return new Run(c.exit(), c.lines(), c.stderr());
    }

    private static Run cli(String sql, String... extra) throws Exception {
        return mariadb(sql, null, extra);
    }

    /** The client reading {@code script} from stdin, as {@code mariadb ... < script.sql}. */
    private static Run cliStdin(String script) throws Exception {
        return mariadb(null, script);
    }

    /** What one run of the client printed and its exit code. */
    record Run(int exit, List<String> lines, String stderr) {
        String line(int i) {
            assertThat(lines).as("stdout (stderr: %s)", stderr).hasSizeGreaterThan(i);
            return lines.get(i);
        }
    }

    @Test
    void readsRunOnReplicasAndWritesOnThePrimary() throws Exception {
        Run reads = cli("SELECT @@port; SELECT @@port; SELECT @@port, COUNT(*) FROM rwscli");
        assertThat(reads.exit()).as(reads.stderr()).isZero();
        assertThat(reads.lines()).hasSize(3);
        for (String l : reads.lines()) {
            assertThat(l.split("\t")[0]).isIn(REPLICA_PORTS);
        }
        Run write = cli("INSERT INTO rwscli VALUES (1, @@server_id); SELECT sid, @@port FROM rwscli WHERE id = 1 FOR UPDATE;"
                + " SELECT @@port, LAST_INSERT_ID(); DELETE FROM rwscli WHERE id = 1");
        assertThat(write.exit()).as(write.stderr()).isZero();
        assertThat(write.line(0)).isEqualTo(topology.primary().serverId() + "\t" + primaryPort);
        assertThat(write.line(1)).startsWith(primaryPort + "\t");
    }

    @Test
    void transactionsFromTheCommandLine() throws Exception {
        Run rw = cli("BEGIN; SELECT @@port; COMMIT; SELECT @@port");
        assertThat(rw.exit()).as(rw.stderr()).isZero();
        assertThat(rw.line(0)).as("inside BEGIN").isEqualTo(primaryPort);
        assertThat(rw.line(1)).as("after COMMIT").isIn(REPLICA_PORTS);

        Run ro = cli("START TRANSACTION READ ONLY; SELECT @@port; SELECT @@port FROM rwscli LIMIT 1;"
                + " SELECT @@port; COMMIT");
        assertThat(ro.exit()).as(ro.stderr()).isZero();
        assertThat(ro.line(0)).isIn(REPLICA_PORTS);
        assertThat(ro.line(1)).as("same replica for the whole transaction").isEqualTo(ro.line(0));

        Run off = cli("SET autocommit = 0; SELECT @@port; COMMIT; SELECT @@port; SET autocommit = 1; SELECT @@port");
        assertThat(off.exit()).as(off.stderr()).isZero();
        assertThat(off.lines().subList(0, 2)).containsOnly(primaryPort);
        assertThat(off.line(2)).isIn(REPLICA_PORTS);
    }

    @Test
    void sessionStateReachesTheReplicas() throws Exception {
        Run r = cli("SET @x = 'cli'; SET SESSION time_zone = '-05:00'; SELECT 7 INTO @seven;"
                + " SELECT @x, @@time_zone, @seven, @@port; use sbtest; SELECT DATABASE(), @@port");
        assertThat(r.exit()).as(r.stderr()).isZero();
        String[] first = r.line(0).split("\t");
        assertThat(first).hasSize(4);
        assertThat(first[0]).isEqualTo("cli");
        assertThat(first[1]).isEqualTo("-05:00");
        assertThat(first[2]).isEqualTo("7");
        assertThat(first[3]).isIn(REPLICA_PORTS);
        String[] second = r.line(1).split("\t");
        assertThat(second[0]).as("the client's use command (COM_INIT_DB)").isEqualTo("sbtest");
        assertThat(second[1]).isIn(REPLICA_PORTS);

        Run db = cli("SELECT DATABASE(), @@port", "-D", "sbtest");
        assertThat(db.exit()).as(db.stderr()).isZero();
        assertThat(db.line(0).split("\t")[0]).as("database from the handshake (-D)").isEqualTo("sbtest");
    }

    @Test
    void aMultiStatementRunsOnThePrimaryAndReturnsEveryResult() throws Exception {
        // the client splits on ';' itself; with another delimiter it sends both statements in one COM_QUERY
        Run r = cliStdin("DELIMITER //\nSELECT @@port; SELECT @@server_id, @@port //\nDELIMITER ;\nSELECT @@port;\n");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.lines()).hasSize(3);
        assertThat(r.line(0)).as("first result of the multi-statement").isEqualTo(primaryPort);
        assertThat(r.line(1)).isEqualTo(topology.primary().serverId() + "\t" + primaryPort);
        assertThat(r.line(2)).as("the next plain read").isIn(REPLICA_PORTS);
    }

    @Test
    void serverErrorsPassThroughWithCodeSqlStateAndMessage() throws Exception {
        Run missing = cli("SELECT * FROM no_such_table_rwscli");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.stderr()).contains("ERROR 1146 (42S02)")
                .contains("Table 'test.no_such_table_rwscli' doesn't exist");

        Run dup = cli("INSERT INTO rwscli VALUES (5, 0); INSERT INTO rwscli VALUES (5, 0)");
        assertThat(dup.exit()).isEqualTo(1);
        assertThat(dup.stderr()).contains("ERROR 1062 (23000)").contains("Duplicate entry '5'");

        Run syntax = cli("SELEC 1");
        assertThat(syntax.exit()).isEqualTo(1);
        assertThat(syntax.stderr()).contains("ERROR 1064 (42000)").contains("near 'SELEC 1'");

        // the session goes on after an error: --force continues a script from stdin
        Run go = mariadb(null, "SELECT no_such_column;\nSELECT @@port;\nDELETE FROM rwscli WHERE id = 5;\n", "--force");
        assertThat(go.stderr()).contains("ERROR 1054 (42S22)").contains("Unknown column 'no_such_column'");
        assertThat(go.line(0)).isIn(REPLICA_PORTS);
        try (Connection c = topology.primary().rootConnection(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM test.rwscli WHERE id = 5")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the DELETE after the error ran").isZero();
        }
    }

    @Test
    void explainNeedsTheCommentsOptionAndAnswersWithTheTargetAndReason() throws Exception {
        // the client strips comments unless --comments: without it the statement simply runs
        Run r = cli("/* sluice explain */ SELECT @@port FROM rwscli FOR UPDATE;"
                + " /* sluice explain */ SELECT @@port;"
                + " /* sluice explain */ INSERT INTO rwscli VALUES (9, 9)", "--comments");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.lines()).hasSize(3);
        String[] forUpdate = r.line(0).split("\t");
        assertThat(forUpdate[0]).isEqualTo("primary");
        assertThat(forUpdate[1]).isEqualTo("db1");
        String[] read = r.line(1).split("\t");
        assertThat(read[0]).isEqualTo("replica");
        assertThat(read[1]).isIn("db2", "db3");
        assertThat(r.line(2)).isEqualTo("primary\tdb1\twrite");
        Run count = cli("SELECT COUNT(*) FROM rwscli WHERE id = 9 FOR UPDATE");
        assertThat(count.line(0)).as("explained, not executed").isEqualTo("0");
    }
}
