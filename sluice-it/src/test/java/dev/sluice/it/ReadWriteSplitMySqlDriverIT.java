package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * readwritesplit through MySQL Connector/J (text protocol, and server-side prepared statements with
 * {@code useServerPrepStmts=true}) against a real primary and two replicas. Where a statement ran is read from
 * {@code @@port} / {@code @@server_id} in the statement itself, or recorded by it ({@code INSERT ... VALUES
 * (@@server_id)}); replicas are read_only and the app account cannot write there, so a successful write also
 * proves it ran on the primary.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ReadWriteSplitMySqlDriverIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    static int primaryPort;
    static int primaryServerId;
    static final Set<Integer> REPLICA_PORTS = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        primaryPort = topology.primary().port();
        primaryServerId = topology.primary().serverId();
        for (MariaDbNode r : topology.replicas()) {
            REPLICA_PORTS.add(r.port());
        }
        try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement()) {
            st.execute("DROP TABLE IF EXISTS test.rwsmy, test.rwsmy_ctas");
            st.execute("CREATE TABLE test.rwsmy (id INT PRIMARY KEY, v VARCHAR(40), sid INT, d DECIMAL(10,2),"
                    + " ts TIMESTAMP NULL)");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
        sluice = SluiceFixture.start(topology, SluiceFixture.readWriteSplitWithHints(topology, ""));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private static Connection text() throws SQLException {
        return sluice.connect(Client.MYSQL_TEXT, "RW-Listener", "test", "");
    }

    private static Connection text(String options) throws SQLException {
        return sluice.connect(Client.MYSQL_TEXT, "RW-Listener", "test", options);
    }

    private static Connection serverPrepared() throws SQLException {
        return sluice.connect(Client.MYSQL_SERVER_PREPARED, "RW-Listener", "test", "");
    }

    /** A global status counter summed over both replicas. */
    private static long replicaStatus(String variable) throws SQLException {
        long sum = 0;
        for (MariaDbNode r : topology.replicas()) {
            sum += SluiceFixture.globalStatus(r, variable);
        }
        return sum;
    }

    /** The {@code port} column of the first row of {@code sql}. */
    private static int port(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getInt("port");
        }
    }

    @Test
    void autocommitReadsFromConcurrentSessionsUseBothReplicasAndNeverThePrimary() throws Exception {
        Set<Integer> ports = ConcurrentHashMap.newKeySet();
        Set<Integer> serverIds = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    try (Connection c = text(); Statement st = c.createStatement()) {
                        for (int i = 0; i < 10; i++) {
                            // SLEEP keeps a read in flight, so least_current_operations picks the other replica
                            try (ResultSet rs = st.executeQuery(
                                    "SELECT @@port AS port, @@server_id AS sid, SLEEP(0.05) FROM DUAL")) {
                                rs.next();
                                ports.add(rs.getInt("port"));
                                serverIds.add(rs.getInt("sid"));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ports).as("ports that served reads").isEqualTo(REPLICA_PORTS);
        assertThat(serverIds).doesNotContain(primaryServerId).hasSize(2);
    }

    @Test
    void writesAndDdlRunOnThePrimary() throws Exception {
        try (Connection c = text(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO rwsmy (id, v, sid) VALUES (1, 'w', @@server_id)")).isEqualTo(1);
            assertThat(st.executeUpdate("UPDATE rwsmy SET v = CONCAT(v, @@server_id) WHERE id = 1")).isEqualTo(1);
            st.execute("CREATE TABLE rwsmy_ctas AS SELECT @@server_id AS sid");
            try (ResultSet rs = st.executeQuery("SELECT sid, v FROM rwsmy WHERE id = 1 FOR UPDATE")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("INSERT ran on").isEqualTo(primaryServerId);
                assertThat(rs.getString(2)).as("UPDATE ran on").isEqualTo("w" + primaryServerId);
            }
            try (ResultSet rs = st.executeQuery("SELECT sid FROM rwsmy_ctas FOR UPDATE")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("CREATE TABLE ... SELECT ran on").isEqualTo(primaryServerId);
            }
            st.execute("DROP TABLE rwsmy_ctas");
            assertThat(st.executeUpdate("DELETE FROM rwsmy WHERE id = 1")).isEqualTo(1);
        }
    }

    @Test
    void lockingReadsAndForcingFunctionsRunOnThePrimary() throws Exception {
        try (Connection c = text(); Statement st = c.createStatement()) {
            assertThat(port(st, "SELECT @@port AS port FROM DUAL")).isIn(REPLICA_PORTS);
            assertThat(port(st, "SELECT @@port AS port FROM DUAL FOR UPDATE")).isEqualTo(primaryPort);
            assertThat(port(st, "SELECT @@port AS port FROM DUAL LOCK IN SHARE MODE")).isEqualTo(primaryPort);
            assertThat(port(st, "SELECT @@port AS port, LAST_INSERT_ID()")).isEqualTo(primaryPort);
            assertThat(port(st, "SELECT @@port AS port, GET_LOCK('rwsmy', 5)")).isEqualTo(primaryPort);
            assertThat(port(st, "SELECT @@port AS port, RELEASE_LOCK('rwsmy')")).isEqualTo(primaryPort);
            assertThat(port(st, "SELECT @@last_insert_id, @@port AS port")).isEqualTo(primaryPort);
            assertThat(port(st, "SELECT @@port AS port FROM DUAL")).as("back to replicas").isIn(REPLICA_PORTS);
        }
    }

    @Test
    void temporaryTablesAreWrittenAndReadOnThePrimary() throws Exception {
        try (Connection c = text(); Statement st = c.createStatement()) {
            st.execute("CREATE TEMPORARY TABLE tmp_rwsmy (sid INT)");
            st.execute("INSERT INTO tmp_rwsmy VALUES (@@server_id)");
            try (ResultSet rs = st.executeQuery("SELECT sid, @@port AS port FROM tmp_rwsmy")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(primaryServerId);
                assertThat(rs.getInt("port")).isEqualTo(primaryPort);
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT t.sid, @@port AS port FROM tmp_rwsmy t LEFT JOIN rwsmy r ON r.id = t.sid")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("port")).as("a join with the temporary table").isEqualTo(primaryPort);
            }
            assertThat(port(st, "SELECT @@port AS port, (SELECT COUNT(*) FROM rwsmy) AS n"))
                    .as("other tables").isIn(REPLICA_PORTS);
            st.execute("DROP TEMPORARY TABLE tmp_rwsmy");
        }
    }

    @Test
    void readWriteTransactionsRunOnThePrimaryAndReadOnlyOnesOnOneReplica() throws Exception {
        try (Connection c = text(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            assertThat(port(st, "SELECT @@port AS port")).as("autocommit=0").isEqualTo(primaryPort);
            st.executeUpdate("INSERT INTO rwsmy (id, v) VALUES (20, 'uncommitted')");
            try (ResultSet rs = st.executeQuery("SELECT v, @@port AS port FROM rwsmy WHERE id = 20")) {
                assertThat(rs.next()).as("the transaction sees its own write").isTrue();
                assertThat(rs.getInt("port")).isEqualTo(primaryPort);
            }
            c.rollback();
            c.setAutoCommit(true);
            assertThat(port(st, "SELECT @@port AS port")).as("autocommit again").isIn(REPLICA_PORTS);

            st.execute("START TRANSACTION");
            assertThat(port(st, "SELECT @@port AS port")).as("START TRANSACTION").isEqualTo(primaryPort);
            st.execute("COMMIT");

            st.execute("START TRANSACTION READ ONLY");
            int first = port(st, "SELECT @@port AS port");
            assertThat(first).as("read-only transaction").isIn(REPLICA_PORTS);
            for (int i = 0; i < 3; i++) {
                assertThat(port(st, "SELECT @@port AS port, (SELECT COUNT(*) FROM rwsmy) AS n"))
                        .as("pinned to one replica").isEqualTo(first);
            }
            st.execute("COMMIT");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM rwsmy WHERE id = 20 FOR UPDATE")) {
                rs.next();
                assertThat(rs.getInt(1)).as("rolled back").isZero();
            }
        }
    }

    @Test
    void sessionAndUserVariablesAreVisibleOnReplicas() throws Exception {
        // sessionVariables: Connector/J sends SET at connect time, before the first query
        try (Connection c = text("sessionVariables=wait_timeout=1234"); Statement st = c.createStatement()) {
            st.execute("SET @u = 'hello', @n = 41");
            st.execute("SET SESSION time_zone = '+03:00', SESSION sql_mode = 'ANSI_QUOTES'");
            st.execute("SELECT @n + 1 INTO @m");
            try (ResultSet rs = st.executeQuery(
                    "SELECT @u, @m, @@time_zone, @@sql_mode, @@wait_timeout, @@port AS port")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("hello");
                assertThat(rs.getLong(2)).isEqualTo(42);
                assertThat(rs.getString(3)).isEqualTo("+03:00");
                assertThat(rs.getString(4)).isEqualTo("ANSI_QUOTES");
                assertThat(rs.getInt(5)).isEqualTo(1234);
                assertThat(rs.getInt("port")).isIn(REPLICA_PORTS);
            }
            st.execute("USE sbtest");
            try (ResultSet rs = st.executeQuery("SELECT DATABASE(), @@port AS port")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("sbtest");
                assertThat(rs.getInt("port")).isIn(REPLICA_PORTS);
            }
            // setCatalog: a Statement created before it would switch back to its own database around each
            // execution (Connector/J does that), so a new one
            c.setCatalog("test");
            try (Statement fresh = c.createStatement();
                 ResultSet rs = fresh.executeQuery("SELECT DATABASE(), @@port AS port")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("test");
                assertThat(rs.getInt("port")).isIn(REPLICA_PORTS);
            }
        }
    }

    @Test
    void everyReplicaOfTheSessionSeesTheSessionState() throws Exception {
        // without load the session reads on the first replica; while another session keeps a read in flight
        // there (least_current_operations), on the other one
        ExecutorService sleeperThread = Executors.newSingleThreadExecutor();
        try (Connection c = text(); Connection other = text(); Statement st = c.createStatement();
             Statement busy = other.createStatement()) {
            st.execute("SET @mine = 'session-1'");
            Set<Integer> seen = new HashSet<>();
            List<Integer> busyPorts = new ArrayList<>();
            for (int i = 0; i < 10 && seen.size() < 2; i++) {
                boolean loaded = i % 2 == 1;
                Future<Integer> sleeper = sleeperThread.submit(
                        () -> loaded ? port(busy, "SELECT SLEEP(1), @@port AS port") : 0);
                Thread.sleep(loaded ? 300 : 0);
                try (ResultSet rs = st.executeQuery("SELECT @mine, @@port AS port")) {
                    rs.next();
                    assertThat(rs.getString(1)).as("on port " + rs.getInt("port")).isEqualTo("session-1");
                    seen.add(rs.getInt("port"));
                }
                busyPorts.add(sleeper.get(60, TimeUnit.SECONDS));
            }
            assertThat(seen).as("replicas the session read from; the other session's reads ran on %s", busyPorts)
                    .isEqualTo(REPLICA_PORTS);
        } finally {
            sleeperThread.shutdownNow();
        }
    }

    @Test
    void serverPreparedStatementsWithParametersReadOnReplicasAndWriteOnThePrimary() throws Exception {
        Timestamp ts = Timestamp.valueOf("2026-11-24 01:02:03");
        try (Connection c = serverPrepared()) {
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO rwsmy (id, v, sid, d, ts) VALUES (?, ?, @@server_id, ?, ?)")) {
                for (int i = 100; i < 105; i++) {
                    ins.setInt(1, i);
                    ins.setString(2, "v" + i);
                    ins.setBigDecimal(3, new BigDecimal(i + ".25"));
                    if (i % 2 == 0) {
                        ins.setTimestamp(4, ts);
                    } else {
                        ins.setNull(4, Types.TIMESTAMP);
                    }
                    assertThat(ins.executeUpdate()).isEqualTo(1);
                }
            }
            topology.waitForReplication(Duration.ofSeconds(30));
            Set<Integer> ports = new HashSet<>();
            try (PreparedStatement sel = c.prepareStatement(
                    "SELECT v, sid, d, ts, @@port AS port FROM rwsmy WHERE id = ? AND v LIKE ?")) {
                for (int round = 0; round < 2; round++) {
                    for (int i = 100; i < 105; i++) {
                        sel.setInt(1, i);
                        sel.setString(2, "v%");
                        try (ResultSet rs = sel.executeQuery()) {
                            assertThat(rs.next()).as("row " + i).isTrue();
                            assertThat(rs.getString(1)).isEqualTo("v" + i);
                            assertThat(rs.getInt(2)).as("inserted on").isEqualTo(primaryServerId);
                            assertThat(rs.getBigDecimal(3)).isEqualByComparingTo(i + ".25");
                            assertThat(rs.getTimestamp(4)).isEqualTo(i % 2 == 0 ? ts : null);
                            ports.add(rs.getInt("port"));
                            assertThat(rs.next()).isFalse();
                        }
                    }
                }
            }
            assertThat(ports).as("binary-protocol reads ran on").isSubsetOf(REPLICA_PORTS).isNotEmpty();

            // a session command between executions does not break the statement-id mapping
            try (PreparedStatement sel = c.prepareStatement("SELECT @p AS p, ? AS echo, @@port AS port")) {
                for (int i = 0; i < 3; i++) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SET @p = " + i);
                    }
                    sel.setString(1, "x" + i);
                    try (ResultSet rs = sel.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt("p")).isEqualTo(i);
                        assertThat(rs.getString("echo")).isEqualTo("x" + i);
                        assertThat(rs.getInt("port")).isIn(REPLICA_PORTS);
                    }
                }
            }

            c.setAutoCommit(false);
            try (PreparedStatement sel = c.prepareStatement("SELECT v, @@port AS port FROM rwsmy WHERE id = ?")) {
                sel.setInt(1, 101);
                try (ResultSet rs = sel.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("v101");
                    assertThat(rs.getInt("port")).as("inside a transaction").isEqualTo(primaryPort);
                }
            }
            c.commit();
            c.setAutoCommit(true);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM rwsmy WHERE id >= ? AND id < ?")) {
                del.setInt(1, 100);
                del.setInt(2, 105);
                assertThat(del.executeUpdate()).isEqualTo(5);
            }
        }
    }

    @Test
    void serverPreparedLockingReadsAndPreparedStatementsInReadOnlyTransactions() throws Exception {
        try (Connection c = serverPrepared(); Statement st = c.createStatement()) {
            try (PreparedStatement sel = c.prepareStatement("SELECT ? AS x, @@port AS port FROM DUAL FOR UPDATE")) {
                sel.setInt(1, 5);
                try (ResultSet rs = sel.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt("x")).isEqualTo(5);
                    assertThat(rs.getInt("port")).as("FOR UPDATE").isEqualTo(primaryPort);
                }
            }
            st.execute("START TRANSACTION READ ONLY");
            try (PreparedStatement sel = c.prepareStatement("SELECT ? AS x, @@port AS port")) {
                int first = -1;
                for (int i = 0; i < 3; i++) {
                    sel.setInt(1, i);
                    try (ResultSet rs = sel.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt("x")).isEqualTo(i);
                        int p = rs.getInt("port");
                        assertThat(p).isIn(REPLICA_PORTS);
                        if (first < 0) {
                            first = p;
                        }
                        assertThat(p).as("pinned to one replica").isEqualTo(first);
                    }
                }
            }
            st.execute("COMMIT");
        }
    }

    @Test
    void cursorFetchesFollowTheExecuteToItsReplica() throws Exception {
        try (Connection w = text(); Statement st = w.createStatement()) {
            st.executeUpdate("INSERT INTO rwsmy (id, v) VALUES (200, 'c0'), (201, 'c1'), (202, 'c2'), (203, 'c3'),"
                    + " (204, 'c4')");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
        long fetchesBefore = replicaStatus("Com_stmt_fetch");
        // useCursorFetch: COM_STMT_EXECUTE opens a cursor, the rows come by COM_STMT_FETCH, 2 at a time
        try (Connection c = sluice.connect(Client.MYSQL_SERVER_PREPARED, "RW-Listener", "test",
                "useCursorFetch=true&defaultFetchSize=2");
             PreparedStatement sel = c.prepareStatement(
                     "SELECT v, @@port AS port FROM rwsmy WHERE id >= ? AND id < ? ORDER BY id")) {
            for (int round = 0; round < 2; round++) {
                sel.setInt(1, 200);
                sel.setInt(2, 205);
                List<String> values = new ArrayList<>();
                Set<Integer> ports = new HashSet<>();
                try (ResultSet rs = sel.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                        ports.add(rs.getInt("port"));
                    }
                }
                assertThat(values).containsExactly("c0", "c1", "c2", "c3", "c4");
                assertThat(ports).hasSize(1);
                assertThat(ports.iterator().next()).isIn(REPLICA_PORTS);
            }
            assertThat(replicaStatus("Com_stmt_fetch") - fetchesBefore).as("COM_STMT_FETCH run on the replicas")
                    .isGreaterThanOrEqualTo(4);
        } finally {
            try (Connection w = text(); Statement st = w.createStatement()) {
                st.executeUpdate("DELETE FROM rwsmy WHERE id BETWEEN 200 AND 204");
            }
        }
    }

    @Test
    void longDataParametersReachTheServerThatExecutes() throws Exception {
        String big = "x".repeat(70_000);
        try (Connection c = serverPrepared()) {
            // setCharacterStream makes Connector/J send the value with COM_STMT_SEND_LONG_DATA
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO rwsmy (id, v, sid) VALUES (?, LEFT(?, 20),"
                    + " @@server_id)")) {
                ins.setInt(1, 300);
                ins.setCharacterStream(2, new java.io.StringReader(big), big.length());
                assertThat(ins.executeUpdate()).isEqualTo(1);
            }
            long longDataBefore = replicaStatus("Com_stmt_send_long_data");
            try (PreparedStatement sel = c.prepareStatement("SELECT LENGTH(?) AS len, @@port AS port")) {
                for (int i = 0; i < 2; i++) {
                    sel.setCharacterStream(1, new java.io.StringReader(big + i), big.length() + 1);
                    try (ResultSet rs = sel.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt("len")).isEqualTo(big.length() + 1);
                        assertThat(rs.getInt("port")).isIn(REPLICA_PORTS);
                    }
                }
            }
            assertThat(replicaStatus("Com_stmt_send_long_data") - longDataBefore)
                    .as("COM_STMT_SEND_LONG_DATA reached the replicas").isPositive();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT v, sid FROM rwsmy WHERE id = 300 FOR UPDATE")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("x".repeat(20));
                assertThat(rs.getInt(2)).isEqualTo(primaryServerId);
                st.executeUpdate("DELETE FROM rwsmy WHERE id = 300");
            }
        }
    }

    @Test
    void hintsOverrideTheRoutingOutsideTransactions() throws Exception {
        MariaDbNode db3 = topology.nodes().get(2);
        try (Connection c = text(); Statement st = c.createStatement()) {
            assertThat(port(st, "SELECT @@port AS port /* maxscale route to master */")).isEqualTo(primaryPort);
            assertThat(port(st, "/* maxscale route to master */ SELECT @@port AS port")).isEqualTo(primaryPort);
            assertThat(port(st, "SELECT @@port AS port -- maxscale route to server db3\n")).isEqualTo(db3.port());
            assertThat(port(st, "/* sluice route to slave */ SELECT @@port AS port")).isIn(REPLICA_PORTS);
            int last = port(st, "SELECT @@port AS port -- maxscale route to server db2\n");
            assertThat(last).isEqualTo(topology.nodes().get(1).port());
            assertThat(port(st, "SELECT @@port AS port /* maxscale route to last */")).isEqualTo(last);
            st.execute("BEGIN");
            assertThat(port(st, "/* maxscale route to slave */ SELECT @@port AS port"))
                    .as("inside a read-write transaction").isEqualTo(primaryPort);
            st.execute("COMMIT");
        }
    }

    @Test
    void foundRowsFollowsThePreviousStatementAndMultiStatementsGoToThePrimary() throws Exception {
        try (Connection c = text("allowMultiQueries=true"); Statement st = c.createStatement()) {
            int first = port(st, "SELECT SQL_CALC_FOUND_ROWS @@port AS port FROM (SELECT 1 UNION SELECT 2) x LIMIT 1");
            assertThat(first).isIn(REPLICA_PORTS);
            assertThat(port(st, "SELECT FOUND_ROWS(), @@port AS port")).isEqualTo(first);

            assertThat(st.execute("SELECT @@port AS port; SELECT @@server_id AS sid")).isTrue();
            try (ResultSet rs = st.getResultSet()) {
                rs.next();
                assertThat(rs.getInt(1)).as("multi-statement").isEqualTo(primaryPort);
            }
            assertThat(st.getMoreResults()).isTrue();
            try (ResultSet rs = st.getResultSet()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(primaryServerId);
            }
            assertThat(st.getMoreResults()).isFalse();
            assertThat(port(st, "SELECT @@port AS port")).as("default strict_multi_stmt=false")
                    .isIn(REPLICA_PORTS);
        }
    }

    @Test
    void explainThroughMySqlConnectorJ() throws Exception {
        try (Connection c = text(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("/* sluice explain */ SELECT * FROM rwsmy FOR UPDATE")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("target")).isEqualTo("primary");
            assertThat(rs.getString("server")).isEqualTo("db1");
            assertThat(rs.getString("reason")).isNotBlank();
            assertThat(rs.next()).isFalse();
        }
    }
}
