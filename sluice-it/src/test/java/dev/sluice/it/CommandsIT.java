package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every client command through Sluice, with MariaDB Connector/J and MySQL Connector/J, each with server-side
 * prepared statements off and on. One service on the primary, so that counters read on the primary show
 * which commands reached the server.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class CommandsIT {
    static final String LISTENER = "Commands-Listener";
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    static MariaDbNode primary;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        primary = topology.primary();
        try (Connection c = primary.rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS test.cmd_rows (id INT PRIMARY KEY, v VARCHAR(40))");
            s.execute("DROP PROCEDURE IF EXISTS test.two_results");
            // defined by app, so that MySQL Connector/J may read the parameter metadata of its own procedure
            s.execute("CREATE DEFINER='app'@'%' PROCEDURE test.two_results(IN n INT) BEGIN SELECT n AS first; "
                    + "SELECT n + 1 AS a, 'two' AS b UNION ALL SELECT n + 2, 'three'; END");
        }
        String cnf = SluiceFixture.baseConfig(topology, "", false)
                + SluiceFixture.service("Commands", "running", "db1", LISTENER, "");
        sluice = SluiceFixture.start(topology, cnf);
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    static Connection connect(Client client, String options) throws SQLException {
        return sluice.connect(client, LISTENER, "test", options);
    }

    // ---- COM_QUERY

    @ParameterizedTest
    @EnumSource(Client.class)
    void multiStatementQueryReturnsEveryResultInOrder(Client client) throws Exception {
        try (Connection c = connect(client, "allowMultiQueries=true"); Statement st = c.createStatement()) {
            assertThat(st.execute("SELECT 1 AS a; DO 0; SELECT 'x' AS b, 'y' AS c UNION ALL SELECT 'z', 'w'"))
                    .isTrue();
            try (ResultSet rs = st.getResultSet()) {
                assertThat(rows(rs)).containsExactly(List.of("1"));
            }
            assertThat(st.getMoreResults()).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(0);
            assertThat(st.getMoreResults()).isTrue();
            try (ResultSet rs = st.getResultSet()) {
                assertThat(rows(rs)).containsExactly(List.of("x", "y"), List.of("z", "w"));
            }
            assertThat(st.getMoreResults()).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(-1);
            assertThat(scalar(c, "SELECT 'still in sync'")).isEqualTo("still in sync");
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void multiStatementQueryStopsAtTheFirstError(Client client) throws Exception {
        try (Connection c = connect(client, "allowMultiQueries=true"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> {
                st.execute("SELECT 1; SELECT * FROM no_such_table; SELECT 3");
                while (st.getMoreResults() || st.getUpdateCount() != -1) {
                    // drain: the driver reports the error when it reaches it
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
            assertThat(scalar(c, "SELECT 'still in sync'")).isEqualTo("still in sync");
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void storedProcedureCallReturnsEveryResultSet(Client client) throws Exception {
        try (Connection c = connect(client, "")) {
            try (Statement st = c.createStatement()) {
                assertThat(st.execute("CALL two_results(10)")).isTrue();
                assertProcedureResults(st, 10);
            }
            try (CallableStatement cs = c.prepareCall("{CALL two_results(?)}")) {
                for (int n : new int[] {20, 30}) {
                    cs.setInt(1, n);
                    assertThat(cs.execute()).isTrue();
                    assertProcedureResults(cs, n);
                }
            }
            assertThat(scalar(c, "SELECT 'still in sync'")).isEqualTo("still in sync");
        }
    }

    private static void assertProcedureResults(Statement st, int n) throws SQLException {
        try (ResultSet rs = st.getResultSet()) {
            assertThat(rows(rs)).containsExactly(List.of(String.valueOf(n)));
        }
        assertThat(st.getMoreResults()).isTrue();
        try (ResultSet rs = st.getResultSet()) {
            assertThat(rows(rs)).containsExactly(List.of(String.valueOf(n + 1), "two"),
                    List.of(String.valueOf(n + 2), "three"));
        }
        // the procedure's own OK ends the reply
        assertThat(st.getMoreResults()).isFalse();
    }

    // ---- COM_INIT_DB, COM_PING

    @ParameterizedTest
    @EnumSource(Client.class)
    void setCatalogChangesTheDefaultDatabase(Client client) throws Exception {
        long before = SluiceFixture.globalStatus(primary, "Com_change_db");
        try (Connection c = connect(client, "")) {
            c.setCatalog("sbtest");
            assertThat(scalar(c, "SELECT DATABASE()")).isEqualTo("sbtest");
            try (Statement st = c.createStatement()) {
                st.execute("USE test");
            }
            assertThat(scalar(c, "SELECT DATABASE()")).isEqualTo("test");
            // the server's answer, forwarded: app has no global privileges, so it learns nothing about existence
            assertThatThrownBy(() -> c.setCatalog("no_such_db"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1044);
                        assertThat(e.getMessage()).contains("Access denied for user 'app'@'%' to database 'no_such_db'");
                    });
            assertThat(scalar(c, "SELECT DATABASE()")).isEqualTo("test");
        }
        assertThat(SluiceFixture.globalStatus(primary, "Com_change_db") - before).isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void isValidPingsTheBackendThroughTheProxy(Client client) throws Exception {
        try (Connection c = connect(client, ""); Connection root = primary.rootConnection()) {
            assertThat(c.isValid(5)).isTrue();
            String backendThread = scalar(c, "SELECT CONNECTION_ID()");
            try (Statement st = root.createStatement()) {
                st.execute("KILL " + backendThread);
            }
            // the ping goes to the backend, so it notices the backend connection is gone
            assertThat(c.isValid(5)).isFalse();
        }
    }

    // ---- COM_STMT_*

    @ParameterizedTest
    @EnumSource(Client.class)
    void preparedStatementsRunRepeatedlyAndAreClosedOnTheServer(Client client) throws Exception {
        long prepared = SluiceFixture.globalStatus(primary, "Com_stmt_prepare");
        long closed = SluiceFixture.globalStatus(primary, "Com_stmt_close");
        try (Connection c = connect(client, "cachePrepStmts=false")) {
            try (PreparedStatement ps = c.prepareStatement("REPLACE INTO cmd_rows VALUES (?, ?)")) {
                for (int i = 0; i < 10; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, client + "-" + i);
                    assertThat(ps.executeUpdate()).isPositive();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM cmd_rows WHERE id BETWEEN ? AND ? ORDER BY id")) {
                ps.setInt(1, 3);
                ps.setInt(2, 5);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rows(rs)).containsExactly(List.of(client + "-3"), List.of(client + "-4"),
                            List.of(client + "-5"));
                }
                ps.setInt(1, 100);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isFalse();
                }
            }
            // COM_STMT_CLOSE gets no reply: the next command must still get its own
            assertThat(scalar(c, "SELECT 'still in sync'")).isEqualTo("still in sync");
        }
        if (client.serverPrepared()) {
            assertThat(SluiceFixture.globalStatus(primary, "Com_stmt_prepare") - prepared).isGreaterThanOrEqualTo(2);
            assertThat(SluiceFixture.globalStatus(primary, "Com_stmt_close") - closed).isGreaterThanOrEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void batchesArePipelinedOrBulkSentAndAllRowsArrive(Client client) throws Exception {
        // MariaDB Connector/J: COM_STMT_BULK_EXECUTE with useBulkStmts, pipelined commands otherwise
        String table = "cmd_batch_" + client.name().toLowerCase(java.util.Locale.ROOT);
        for (String options : new String[] {"useBulkStmts=true", "useBulkStmts=false&rewriteBatchedStatements=false"}) {
            try (Connection c = connect(client, options)) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE IF NOT EXISTS " + table + " (id INT PRIMARY KEY, v VARCHAR(20))");
                    st.execute("DELETE FROM " + table);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                    for (int i = 0; i < 500; i++) {
                        ps.setInt(1, i);
                        ps.setString(2, "v" + i);
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    assertThat(counts).hasSize(500);
                }
                try (Statement st = c.createStatement()) {
                    for (int i = 0; i < 20; i++) {
                        st.addBatch("UPDATE " + table + " SET v = 'u" + i + "' WHERE id = " + i);
                    }
                    assertThat(st.executeBatch()).containsOnly(1);
                }
                assertThat(scalar(c, "SELECT COUNT(*) FROM " + table)).isEqualTo("500");
                assertThat(scalar(c, "SELECT v FROM " + table + " WHERE id = 19")).isEqualTo("u19");
                assertThat(scalar(c, "SELECT v FROM " + table + " WHERE id = 499")).isEqualTo("v499");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void preparedStatementErrorsLeaveTheSessionUsable(Client client) throws Exception {
        try (Connection c = connect(client, "")) {
            assertThatThrownBy(() -> {
                PreparedStatement ps = c.prepareStatement("SELECT * FROM no_such_table WHERE id = ?");
                ps.setInt(1, 1);
                ps.executeQuery();
            }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 / ?")) {
                ps.setString(1, "x");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
            assertThat(scalar(c, "SELECT 'still in sync'")).isEqualTo("still in sync");
        }
    }

    @Test
    void cursorFetchReadsAServerSideCursorInChunks() throws Exception {
        long fetches = SluiceFixture.globalStatus(primary, "Com_stmt_fetch");
        try (Connection c = connect(Client.MYSQL_SERVER_PREPARED, "useCursorFetch=true&defaultFetchSize=7");
             PreparedStatement ps = c.prepareStatement("SELECT seq, REPEAT('r', seq) FROM seq_1_to_50 WHERE seq > ?")) {
            ps.setInt(1, 0);
            int count = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    count++;
                    assertThat(rs.getInt(1)).isEqualTo(count);
                    assertThat(rs.getString(2)).hasSize(count);
                }
            }
            assertThat(count).isEqualTo(50);
            assertThat(scalar(c, "SELECT 'still in sync'")).isEqualTo("still in sync");
        }
        assertThat(SluiceFixture.globalStatus(primary, "Com_stmt_fetch") - fetches).isGreaterThanOrEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void streamsAreSentAsLongDataAndStatementsReset(Client client) throws Exception {
        long longData = SluiceFixture.globalStatus(primary, "Com_stmt_send_long_data");
        byte[] blob = new byte[300_000];
        new Random(7).nextBytes(blob);
        // BMP only: both drivers split character streams into chunks that may cut a surrogate pair (a driver
        // bug, same result without Sluice)
        String text = "long text ✓ 长文本 ".repeat(10_000);
        try (Connection c = connect(client, "")) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS cmd_long (id VARCHAR(40) PRIMARY KEY, b LONGBLOB, t LONGTEXT)"
                        + " CHARACTER SET utf8mb4");
            }
            try (PreparedStatement ps = c.prepareStatement("REPLACE INTO cmd_long VALUES (?, ?, ?)")) {
                ps.setString(1, client.name());
                ps.setBinaryStream(2, new ByteArrayInputStream(blob));
                ps.setCharacterStream(3, new StringReader(text));
                assertThat(ps.executeUpdate()).isPositive();
                ps.clearParameters(); // MySQL Connector/J: COM_STMT_RESET after long data
                ps.setString(1, client.name() + "-2");
                ps.setBinaryStream(2, new ByteArrayInputStream(new byte[] {1, 2, 3}));
                ps.setCharacterStream(3, new StringReader("short"));
                assertThat(ps.executeUpdate()).isPositive();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT b, t FROM cmd_long WHERE id = ?")) {
                ps.setString(1, client.name());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBytes(1)).isEqualTo(blob);
                    assertThat(rs.getString(2)).isEqualTo(text);
                }
                ps.setString(1, client.name() + "-2");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBytes(1)).containsExactly(1, 2, 3);
                    assertThat(rs.getString(2)).isEqualTo("short");
                }
            }
        }
        if (client.serverPrepared()) {
            assertThat(SluiceFixture.globalStatus(primary, "Com_stmt_send_long_data") - longData).isPositive();
        }
    }

    @Test
    void statementResetReachesTheServer() throws Exception {
        long resets = SluiceFixture.globalStatus(primary, "Com_stmt_reset");
        try (Connection c = connect(Client.MYSQL_SERVER_PREPARED, "");
             PreparedStatement ps = c.prepareStatement("SELECT LENGTH(?)")) {
            ps.setBinaryStream(1, new ByteArrayInputStream(new byte[1000]));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1000);
            }
            ps.clearParameters();
            ps.setString(1, "abc");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(3);
            }
        }
        assertThat(SluiceFixture.globalStatus(primary, "Com_stmt_reset") - resets).isPositive();
    }

    // ---- COM_CHANGE_USER, COM_RESET_CONNECTION

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"MYSQL_TEXT", "MYSQL_SERVER_PREPARED"})
    void changeUserSwitchesTheAccountOfTheSession(Client client) throws Exception {
        try (Connection c = connect(client, "")) {
            c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).changeUser(MariaDbTopology.MONITOR_USER,
                    MariaDbTopology.MONITOR_PASSWORD);
            assertThat(scalar(c, "SELECT CURRENT_USER()")).isEqualTo("maxuser@%");
            c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).changeUser(MariaDbTopology.APP_USER,
                    MariaDbTopology.APP_PASSWORD);
            assertThat(scalar(c, "SELECT CURRENT_USER()")).isEqualTo("app@%");
            try (Statement st = c.createStatement()) {
                st.execute("SELECT 1 FROM cmd_rows LIMIT 1");
            }
        }
    }

    @Test
    void changeUserWithAWrongPasswordIsRefused() throws Exception {
        try (Connection c = connect(Client.MYSQL_TEXT, "")) {
            assertThatThrownBy(() -> c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class)
                    .changeUser(MariaDbTopology.MONITOR_USER, "wrong"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(1045);
                        assertThat(e.getMessage()).contains("Access denied for user 'maxuser'@'127.0.0.1'");
                    });
        }
    }

    @Test
    void resetConnectionClearsTheSessionState() throws Exception {
        try (Connection c = connect(Client.MARIADB_TEXT, "useResetConnection=true"); Statement st = c.createStatement()) {
            st.execute("SET @marker = 42");
            st.execute("CREATE TEMPORARY TABLE reset_tmp (x INT)");
            assertThat(scalar(c, "SELECT @marker")).isEqualTo("42");
            c.unwrap(org.mariadb.jdbc.Connection.class).reset();
            assertThat(scalar(c, "SELECT @marker")).isNull();
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM reset_tmp"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
            assertThat(scalar(c, "SELECT CURRENT_USER()")).isEqualTo("app@%");
        }
    }

    @Test
    void resetServerStateOfMySqlConnectorClearsTheSessionState() throws Exception {
        try (Connection c = connect(Client.MYSQL_TEXT, ""); Statement st = c.createStatement()) {
            st.execute("SET @marker = 42");
            c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).resetServerState();
            assertThat(scalar(c, "SELECT @marker")).isNull();
            assertThat(scalar(c, "SELECT CURRENT_USER()")).isEqualTo("app@%");
        }
    }

    // ---- KILL

    @ParameterizedTest
    @EnumSource(Client.class)
    void killQueryWithTheProxyConnectionIdInterruptsARunningSleep(Client client) throws Exception {
        try (Connection victim = connect(client, ""); Connection killer = connect(client, "")) {
            long id = Client.connectionId(victim);
            assertThat(id).isNotEqualTo(Long.parseLong(scalar(victim, "SELECT CONNECTION_ID()")));
            CompletableFuture<Object> sleeping = CompletableFuture.supplyAsync(() -> {
                try (Statement st = victim.createStatement(); ResultSet rs = st.executeQuery("SELECT SLEEP(30)")) {
                    rs.next();
                    return rs.getInt(1);
                } catch (SQLException e) {
                    return e;
                }
            });
            awaitRunning("SELECT SLEEP(30)");
            long start = System.nanoTime();
            try (Statement st = killer.createStatement()) {
                st.execute("KILL QUERY " + id);
            }
            Object outcome = sleeping.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(outcome).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(1317);
                assertThat(e.getMessage()).contains("Query execution was interrupted");
            });
            // only the query died: the victim's session goes on
            assertThat(scalar(victim, "SELECT 'alive'")).isEqualTo("alive");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"MARIADB_TEXT", "MYSQL_SERVER_PREPARED"})
    void killConnectionEndsTheOtherSessionOnly(Client client) throws Exception {
        try (Connection victim = connect(client, ""); Connection killer = connect(client, "")) {
            long id = Client.connectionId(victim);
            try (Statement st = killer.createStatement()) {
                st.execute("KILL CONNECTION " + id);
            }
            assertThatThrownBy(() -> scalar(victim, "SELECT 1")).isInstanceOf(SQLException.class);
            assertThat(scalar(killer, "SELECT 'alive'")).isEqualTo("alive");
            assertThatThrownBy(() -> killer.createStatement().execute("KILL " + id))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1094));
        }
    }

    private static void awaitRunning(String info) throws Exception {
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> {
            try (Connection c = primary.rootConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = ?")) {
                ps.setString(1, info);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) > 0;
                }
            }
        })).as("'%s' is running on the primary", info).isTrue();
    }

    // ---- LOAD DATA LOCAL INFILE

    @ParameterizedTest
    @EnumSource(Client.class)
    void loadDataLocalInfileUploadsTheFile(Client client) throws Exception {
        Path file = tmp.resolve("rows-" + client + ".csv");
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            csv.append(i).append(",row ").append(i).append(" ü 😀\n");
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        String options = client.isMySql() ? "allowLoadLocalInfile=true" : "allowLocalInfile=true";
        try (Connection c = connect(client, options); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS cmd_infile_" + client
                    + " (id INT PRIMARY KEY, v VARCHAR(40)) CHARACTER SET utf8mb4");
            st.execute("DELETE FROM cmd_infile_" + client);
            int loaded = st.executeUpdate("LOAD DATA LOCAL INFILE '" + file + "' INTO TABLE cmd_infile_" + client
                    + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY ','");
            assertThat(loaded).isEqualTo(50_000);
            assertThat(scalar(c, "SELECT COUNT(*) FROM cmd_infile_" + client)).isEqualTo("50000");
            assertThat(scalar(c, "SELECT v FROM cmd_infile_" + client + " WHERE id = 49999"))
                    .isEqualTo("row 49999 ü 😀");
            // a file the client cannot read: the client sends an empty upload, the server answers with an error
            assertThatThrownBy(() -> st.executeUpdate("LOAD DATA LOCAL INFILE '" + tmp.resolve("missing.csv")
                    + "' INTO TABLE cmd_infile_" + client)).isInstanceOf(SQLException.class);
            assertThat(scalar(c, "SELECT 'still in sync'")).isEqualTo("still in sync");
        }
    }

    // ---- character sets, errors at login

    @ParameterizedTest
    @EnumSource(Client.class)
    void utf8mb4TextSurvivesTheRoundTrip(Client client) throws Exception {
        String text = "emoji 😀🚀👍🏽 CJK 漢字かなカナ한국어 math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 é";
        try (Connection c = connect(client, ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS cmd_utf8 (id VARCHAR(40) PRIMARY KEY, v VARCHAR(100))"
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            try (PreparedStatement ps = c.prepareStatement("REPLACE INTO cmd_utf8 VALUES (?, ?)")) {
                ps.setString(1, client.name());
                ps.setString(2, text);
                ps.executeUpdate();
            }
            assertThat(scalar(c, "SELECT v FROM cmd_utf8 WHERE id = '" + client.name() + "'")).isEqualTo(text);
            assertThat(scalar(c, "SELECT CHAR_LENGTH(v) FROM cmd_utf8 WHERE id = '" + client.name() + "'"))
                    .isEqualTo(String.valueOf(text.codePointCount(0, text.length())));
            assertThat(scalar(c, "SELECT '" + text + "'")).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aWrongPasswordIsRefusedWithTheServersError(Client client) {
        assertThatThrownBy(() -> client.connect(sluice.port(LISTENER), "app", "wrong", "test", "").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getSQLState()).isEqualTo("28000");
                    assertThat(e.getMessage()).contains("Access denied for user 'app'@'127.0.0.1' (using password: YES)");
                });
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void anUnknownDatabaseIsRefusedAsTheServerRefusesIt(Client client) {
        // maxuser has global privileges: it may learn that the database does not exist
        assertThatThrownBy(() -> client.connect(sluice.port(LISTENER), "maxuser", "maxpwd", "no_such_db", "").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1049);
                    assertThat(e.getSQLState()).isEqualTo("42000");
                    assertThat(e.getMessage()).contains("Unknown database 'no_such_db'");
                });
        // app has none: like the server, Sluice says access denied, naming the account's host
        assertThatThrownBy(() -> client.connect(sluice.port(LISTENER), "app", "apppwd", "no_such_db", "").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1044);
                    assertThat(e.getSQLState()).isEqualTo("42000");
                    assertThat(e.getMessage()).contains("Access denied for user 'app'@'%' to database 'no_such_db'");
                });
    }

    @Test
    void aUserCreatedAMomentAgoCanLogInAtOnce() throws Exception {
        String user = "fresh" + System.nanoTime() % 1_000_000;
        try (Connection root = primary.rootConnection(); Statement s = root.createStatement()) {
            s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'freshpwd'");
            s.execute("GRANT SELECT ON test.* TO '" + user + "'@'%'");
        }
        try (Connection c = Client.MARIADB_TEXT.connect(sluice.port(LISTENER), user, "freshpwd", "test", "")) {
            assertThat(scalar(c, "SELECT CURRENT_USER()")).isEqualTo(user + "@%");
        } finally {
            try (Connection root = primary.rootConnection(); Statement s = root.createStatement()) {
                s.execute("DROP USER '" + user + "'@'%'");
            }
        }
    }

    // ---- helpers

    static String scalar(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    static List<List<String>> rows(ResultSet rs) throws SQLException {
        int n = rs.getMetaData().getColumnCount();
        List<List<String>> out = new ArrayList<>();
        while (rs.next()) {
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                row[i] = rs.getString(i + 1);
            }
            out.add(Arrays.asList(row));
        }
        return out;
    }
}
