package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.FreePorts;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * readwritesplit through MariaDB Connector/J against a real primary and two replicas: where each kind of
 * statement runs is read from {@code @@port} in the same statement.
 */
@MariaDbCluster(replicas = 2)
class ReadWriteSplitIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    static int primaryPort;
    static Set<Integer> replicaPorts = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        primaryPort = topology.primary().port();
        for (MariaDbNode r : topology.replicas()) {
            replicaPorts.add(r.port());
        }
        try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS test.rws (id INT PRIMARY KEY, v VARCHAR(20))");
            st.execute("DELETE FROM test.rws");
            st.execute("CREATE DATABASE IF NOT EXISTS rws_db");
            st.execute("GRANT ALL ON rws_db.* TO '" + MariaDbTopology.APP_USER + "'@'%'");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
        String cnf = SluiceFixture.baseConfig(topology, "", true)
                + service("RW", "", 0) + service("Lazy", "lazy_connect=true\n", FreePorts.allocate())
                + service("Reuse", "reuse_prepared_statements=true\n", FreePorts.allocate());
        sluice = SluiceFixture.start(topology, cnf);
    }

    /** Port 0 picks a free port, but the configuration check allows it once per address. */
    private static String service(String name, String lines, int port) {
        return "[" + name + "]\ntype=service\nrouter=readwritesplit\ncluster=Cluster\nuser=maxuser\npassword=maxpwd\n"
                + lines + "\n[" + name + "-Listener]\ntype=listener\nservice=" + name
                + "\nport=" + port + "\naddress=127.0.0.1\n\n";
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private static int port(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getInt("port");
        }
    }

    @Test
    void autocommitReadsGoToReplicasAndWritesToThePrimary() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            for (int i = 0; i < 4; i++) {
                assertThat(port(st, "SELECT @@port AS port")).isIn(replicaPorts);
            }
            // replicas are read_only: a write that succeeds ran on the primary
            assertThat(st.executeUpdate("INSERT INTO rws VALUES (1, 'one')")).isEqualTo(1);
            assertThat(port(st, "SELECT @@port AS port FROM rws WHERE id = 1 FOR UPDATE")).isEqualTo(primaryPort);
            assertThat(port(st, "SELECT @@port AS port, LAST_INSERT_ID()")).isEqualTo(primaryPort);
        }
    }

    @Test
    void hintCommentsAreIgnoredWithoutAHintfilter() throws Exception {
        // as in MaxScale: a client steers statements with hints only when the service has a hintfilter
        // (ReadWriteSplitMySqlDriverIT and ReadWriteSplitCausalReadsIT run with one and check that they count)
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            for (int i = 0; i < 3; i++) {
                assertThat(port(st, "SELECT @@port AS port -- maxscale route to master")).isIn(replicaPorts);
                assertThat(port(st, "/* maxscale route to master */ SELECT @@port AS port")).isIn(replicaPorts);
            }
        }
    }

    @Test
    void aTransactionSeesItsOwnWriteOnThePrimary() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("BEGIN");
            st.executeUpdate("INSERT INTO rws VALUES (2, 'two')");
            try (ResultSet rs = st.executeQuery("SELECT v, @@port AS port FROM rws WHERE id = 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("two");
                assertThat(rs.getInt("port")).isEqualTo(primaryPort);
            }
            st.execute("ROLLBACK");
            assertThat(port(st, "SELECT @@port AS port")).isIn(replicaPorts);
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM rws WHERE id = 2 FOR UPDATE")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rolled back").isZero();
            }
        }
    }

    @Test
    void autocommitOffPinsTheSessionToThePrimaryUntilItIsOnAgain() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            assertThat(port(st, "SELECT @@port AS port")).isEqualTo(primaryPort);
            c.commit();
            assertThat(port(st, "SELECT @@port AS port")).as("still autocommit=0 after COMMIT")
                    .isEqualTo(primaryPort);
            c.setAutoCommit(true);
            assertThat(port(st, "SELECT @@port AS port")).isIn(replicaPorts);
        }
    }

    @Test
    void readOnlyTransactionRunsOnAReplica() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("START TRANSACTION READ ONLY");
            int first = port(st, "SELECT @@port AS port");
            assertThat(first).isIn(replicaPorts);
            assertThat(port(st, "SELECT @@port AS port")).isEqualTo(first);
            st.execute("COMMIT");
        }
    }

    @Test
    void userVariablesAndTheDefaultDatabaseFollowTheSessionToReplicas() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("SET @x = 42");
            st.execute("USE rws_db");
            try (ResultSet rs = st.executeQuery("SELECT @x, DATABASE(), @@port AS port")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
                assertThat(rs.getString(2)).isEqualTo("rws_db");
                assertThat(rs.getInt("port")).isIn(replicaPorts);
            }
            st.execute("SET SESSION sql_mode = 'ANSI_QUOTES'");
            try (ResultSet rs = st.executeQuery("SELECT @@sql_mode, @@port AS port")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ANSI_QUOTES");
                assertThat(rs.getInt("port")).isIn(replicaPorts);
            }
        }
    }

    @Test
    void temporaryTablesAreReadOnThePrimary() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE tmp_rws (a INT)");
            st.execute("INSERT INTO tmp_rws VALUES (7)");
            try (ResultSet rs = st.executeQuery("SELECT a, @@port AS port FROM tmp_rws")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(7);
                assertThat(rs.getInt("port")).isEqualTo(primaryPort);
            }
            assertThat(port(st, "SELECT @@port AS port FROM rws LIMIT 1")).isIn(replicaPorts);
        }
    }

    @Test
    void serverPreparedStatementsReadOnReplicasAndWriteOnThePrimary() throws Exception {
        try (Connection c = sluice.connect("RW-Listener", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD,
                "test", "useServerPrepStmts=true")) {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO rws VALUES (?, ?)")) {
                for (int i = 10; i < 13; i++) {
                    ins.setInt(1, i);
                    ins.setString(2, "v" + i);
                    assertThat(ins.executeUpdate()).isEqualTo(1);
                }
            }
            topology.waitForReplication(Duration.ofSeconds(30));
            try (PreparedStatement sel = c.prepareStatement("SELECT v, @@port AS port FROM rws WHERE id = ?")) {
                for (int i = 10; i < 13; i++) {
                    sel.setInt(1, i);
                    try (ResultSet rs = sel.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("v" + i);
                        assertThat(rs.getInt("port")).isIn(replicaPorts);
                    }
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement sel = c.prepareStatement("SELECT v, @@port AS port FROM rws WHERE id = ?")) {
                sel.setInt(1, 11);
                try (ResultSet rs = sel.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("v11");
                    assertThat(rs.getInt("port")).as("inside a transaction").isEqualTo(primaryPort);
                }
            }
            c.commit();
        }
    }

    @Test
    void lazyConnectReplaysTheSessionStateOnTheReplicaItOpensLater() throws Exception {
        try (Connection c = sluice.app("Lazy-Listener"); Statement st = c.createStatement()) {
            st.execute("SET @lazy = 'yes'");
            st.execute("USE rws_db");
            try (ResultSet rs = st.executeQuery("SELECT @lazy, DATABASE(), @@port AS port")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("yes");
                assertThat(rs.getString(2)).isEqualTo("rws_db");
                assertThat(rs.getInt("port")).isIn(replicaPorts);
            }
        }
    }

    @Test
    void explainAnswersWithTheTargetAndReasonWithoutExecuting() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("/* sluice explain */ INSERT INTO rws VALUES (99, 'no')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("target")).isEqualTo("primary");
                assertThat(rs.getString("server")).isEqualTo("db1");
                assertThat(rs.getString("reason")).isEqualTo("write");
            }
            try (ResultSet rs = st.executeQuery("/* sluice explain */ SELECT LAST_INSERT_ID()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("reason")).contains("last_insert_id");
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM rws WHERE id = 99 FOR UPDATE")) {
                rs.next();
                assertThat(rs.getInt(1)).as("not executed").isZero();
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void diagnosticsCountWhereStatementsWent() throws Exception {
        try (Connection c = sluice.app("RW-Listener"); Statement st = c.createStatement()) {
            st.executeQuery("SELECT 1").close();
            st.execute("SET @d = 1");
            st.execute("BEGIN");
            st.execute("COMMIT");
            st.execute("START TRANSACTION READ ONLY");
            st.execute("COMMIT");
        }
        Map<String, Object> d = sluice.server.service("RW").router().diagnostics();
        assertThat((Long) d.get("route_slave")).isPositive();
        assertThat((Long) d.get("route_master")).isPositive();
        assertThat((Long) d.get("route_all")).isPositive();
        assertThat((Long) d.get("rw_transactions")).isPositive();
        assertThat((Long) d.get("ro_transactions")).isPositive();
        Map<String, Map<String, Object>> perServer = (Map<String, Map<String, Object>>) d.get(
                "server_query_statistics");
        assertThat(perServer).containsKeys("db1", "db2");
    }

    private static Connection bounded() throws SQLException {
        return sluice.connect("RW-Listener", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD, "test",
                "socketTimeout=30000&connectTimeout=10000");
    }

    /**
     * Creates a procedure with {@code body}, calls it through a new session (after a read on a replica), checks
     * that the following reads run on the primary, then that {@code undo} sends reads to replicas again.
     */
    private static void callKeepsTheSessionOnThePrimary(String name, String body, String undo) throws Exception {
        try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement()) {
            st.execute("DROP PROCEDURE IF EXISTS test." + name);
            st.execute("CREATE PROCEDURE test." + name + "() BEGIN " + body + " END");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
        try (Connection c = bounded(); Statement st = c.createStatement()) {
            assertThat(port(st, "SELECT @@port AS port")).isIn(replicaPorts);
            st.execute("CALL test." + name + "()");
            for (int i = 0; i < 3; i++) {
                assertThat(port(st, "SELECT @@port AS port")).as(body).isEqualTo(primaryPort);
            }
            st.execute(undo);
            assertThat(port(st, "SELECT @@port AS port")).as(undo).isIn(replicaPorts);
        }
    }

    /**
     * What a stored procedure does to the transaction state is invisible to the classifier: the server says it in
     * the CALL's reply (the IN_TRANS / AUTOCOMMIT status flags and the session state tracking's transaction state
     * and {@code autocommit}).
     */
    @Test
    void aTransactionStartedInsideAStoredProcedureKeepsTheSessionOnThePrimary() throws Exception {
        callKeepsTheSessionOnThePrimary("rws_begin", "START TRANSACTION;", "COMMIT");
    }

    @Test
    void autocommitTurnedOffInsideAStoredProcedureKeepsTheSessionOnThePrimary() throws Exception {
        callKeepsTheSessionOnThePrimary("rws_autocommit_off", "SET autocommit = 0;", "SET autocommit = 1");
    }

    /**
     * Neither the classifier nor the status flags can see an isolation level set inside a procedure; the tracked
     * {@code tx_isolation} can: SERIALIZABLE locks the session to the primary until it changes back.
     */
    @Test
    void serializableSetInsideAStoredProcedureLocksTheSessionToThePrimary() throws Exception {
        callKeepsTheSessionOnThePrimary("rws_serializable", "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE;",
                "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    }

    /**
     * MariaDB Connector/J negotiates CLIENT_SESSION_TRACK: every connection of the session tracks the transaction
     * and {@code last_gtid}, also after the client set the tracked variables itself (Sluice puts its additions
     * back, keeping the client's).
     */
    @Test
    void theConnectionsOfASessionTrackingClientTrackTheTransactionAndLastGtid() throws Exception {
        Set<Integer> ports = new HashSet<>();
        try (Connection c = bounded(); Statement st = c.createStatement()) {
            for (int round = 0; round < 2; round++) {
                for (String sql : new String[] {"SELECT @@port AS port, @@session_track_transaction_info AS i, "
                        + "@@session_track_system_variables AS v", "SELECT @@port AS port, "
                        + "@@session_track_transaction_info AS i, @@session_track_system_variables AS v, "
                        + "LAST_INSERT_ID()"}) {
                    try (ResultSet rs = st.executeQuery(sql)) {
                        assertThat(rs.next()).isTrue();
                        ports.add(rs.getInt("port"));
                        assertThat(rs.getString("i")).isEqualTo("CHARACTERISTICS");
                        assertThat(rs.getString("v")).contains("last_gtid").contains("tx_isolation");
                        if (round == 1) {
                            assertThat(rs.getString("v")).contains("sql_mode");
                        }
                    }
                }
                st.execute("SET session_track_system_variables = 'sql_mode', session_track_transaction_info = OFF");
            }
        }
        assertThat(ports).as("a replica and the primary").contains(primaryPort).hasSize(2);
    }

    private static long primaryStatus(String name) throws SQLException {
        try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(2);
        }
    }

    /**
     * reuse_prepared_statements: Connector/J without its own statement cache prepares the same SQL three times and
     * closes it in between; the servers prepare it once, the client still gets a working statement each time
     * (executed on a replica, with its parameters).
     */
    @Test
    void reusePreparedStatementsPreparesTheSameSqlOnce() throws Exception {
        long before = primaryStatus("Com_stmt_prepare");
        long reusedBefore = reused();
        try (Connection c = sluice.connect("Reuse-Listener", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD,
                "test", "useServerPrepStmts=true&cachePrepStmts=false&socketTimeout=30000")) {
            for (int i = 0; i < 3; i++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT ? + 1 AS v, @@port AS port")) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt("v")).isEqualTo(i + 1);
                        assertThat(rs.getInt("port")).isIn(replicaPorts);
                    }
                }
            }
            try (PreparedStatement other = c.prepareStatement("SELECT ? AS v, @@port AS port")) {
                other.setString(1, "x");
                try (ResultSet rs = other.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("v")).isEqualTo("x");
                }
            }
        }
        assertThat(primaryStatus("Com_stmt_prepare") - before).as("prepares on the primary").isEqualTo(2);
        assertThat(reused() - reusedBefore).isEqualTo(2);
    }

    private static long reused() {
        return (Long) sluice.server.service("Reuse").router().diagnostics().get("reused_prepared_statements");
    }

    /**
     * reuse_prepared_statements with text PREPARE: the same PREPARE of the same name is answered by Sluice (the
     * servers keep the statement); a different text under that name is prepared again.
     */
    @Test
    void reusePreparedStatementsAnswersARepeatedTextPrepare() throws Exception {
        long before = primaryStatus("Com_prepare_sql");
        try (Connection c = sluice.connect("Reuse-Listener", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD,
                "test", "socketTimeout=30000"); Statement st = c.createStatement()) {
            for (int i = 0; i < 3; i++) {
                st.execute("PREPARE rws_text FROM 'SELECT ? + 1 AS v, @@port AS port'");
                st.execute("SET @a = " + i);
                try (ResultSet rs = st.executeQuery("EXECUTE rws_text USING @a")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt("v")).isEqualTo(i + 1);
                }
            }
            st.execute("PREPARE rws_text FROM 'SELECT ? + 2 AS v, @@port AS port'");
            try (ResultSet rs = st.executeQuery("EXECUTE rws_text USING @a")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("v")).isEqualTo(4);
            }
        }
        assertThat(primaryStatus("Com_prepare_sql") - before).as("PREPAREs on the primary").isEqualTo(2);
    }

    /**
     * reuse_prepared_statements and text DEALLOCATE PREPARE, as COM_STMT_CLOSE for binary statements: Sluice answers
     * it and the servers keep the statement, yet for the client the name is gone (EXECUTE and DEALLOCATE get error
     * 1243 as from the server) until it prepares the same text again, which is then reused.
     */
    @Test
    void reusePreparedStatementsKeepsADeallocatedTextStatementHiddenUntilPreparedAgain() throws Exception {
        long prepares = primaryStatus("Com_prepare_sql");
        long deallocates = primaryStatus("Com_dealloc_sql");
        try (Connection c = sluice.connect("Reuse-Listener", MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD,
                "test", "socketTimeout=30000"); Statement st = c.createStatement()) {
            for (int i = 0; i < 2; i++) {
                st.execute("PREPARE rws_dealloc FROM 'SELECT 40 + 2 AS v'");
                try (ResultSet rs = st.executeQuery("EXECUTE rws_dealloc")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt("v")).isEqualTo(42);
                }
                st.execute("DEALLOCATE PREPARE rws_dealloc");
                assertThatThrownBy(() -> st.executeQuery("EXECUTE rws_dealloc")).isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1243));
                assertThatThrownBy(() -> st.execute("DROP PREPARE RWS_DEALLOC")).isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1243));
            }
            assertThatThrownBy(() -> st.execute("DEALLOCATE PREPARE rws_never_prepared")).isInstanceOfSatisfying(
                    SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1243));
            assertThat(port(st, "SELECT @@port AS port")).as("the session goes on").isIn(replicaPorts);
        }
        assertThat(primaryStatus("Com_prepare_sql") - prepares).as("PREPAREs on the primary").isEqualTo(1);
        assertThat(primaryStatus("Com_dealloc_sql") - deallocates).as("DEALLOCATEs on the primary").isEqualTo(1);
    }
}
