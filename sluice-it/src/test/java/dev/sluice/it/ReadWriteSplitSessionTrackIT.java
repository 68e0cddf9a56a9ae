package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.protocol.Capability;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.ServerStatusFlag;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Session state tracking for clients that did not negotiate CLIENT_SESSION_TRACK (MySQL Connector/J, a raw client):
 * the backend connections track the session anyway, and the OK packets these clients get are rewritten, so they
 * never see session state, while the session still follows what stored procedures do and causal_reads takes the
 * write's GTID from its OK (no {@code SELECT @@last_gtid}).
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ReadWriteSplitSessionTrackIT {
    private static final long RAW = RawClient.CAPABILITIES | Capability.LOCAL_FILES;
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    static int primaryPort;
    static final Set<Integer> REPLICA_PORTS = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        primaryPort = topology.primary().port();
        for (MariaDbNode r : topology.replicas()) {
            REPLICA_PORTS.add(r.port());
        }
        try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement()) {
            st.execute("DROP TABLE IF EXISTS test.rwst");
            st.execute("CREATE TABLE test.rwst (id INT PRIMARY KEY, v VARCHAR(20))");
            st.execute("DROP PROCEDURE IF EXISTS test.rwst_serializable");
            st.execute("CREATE PROCEDURE test.rwst_serializable() BEGIN"
                    + " SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE; END");
            st.execute("DROP PROCEDURE IF EXISTS test.rwst_begin");
            st.execute("CREATE PROCEDURE test.rwst_begin() BEGIN START TRANSACTION; END");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
        // pooled backend connections (persistpoolmax), and a readconnroute service whose sessions must not get the
        // readwritesplit connections (they negotiated CLIENT_SESSION_TRACK for the router)
        sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "persistpoolmax=20\npersistmaxtime=60s",
                true) + "[RW]\ntype=service\nrouter=readwritesplit\ncluster=Cluster\nuser=maxuser\npassword=maxpwd\n"
                + "causal_reads=local\ncausal_reads_timeout=10s\n\n[RW-Listener]\ntype=listener\nservice=RW\nport=0\n"
                + "address=127.0.0.1\n\n" + SluiceFixture.service("Direct", "running", "db1", "Direct-Listener", ""));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private static long diag(String key) {
        Map<String, Object> d = sluice.server.service("RW").router().diagnostics();
        return (Long) d.get(key);
    }

    /**
     * An OK payload as a client without CLIENT_SESSION_TRACK reads it: the info text length-encoded, when there is
     * one, and nothing after it.
     */
    record Ok(long affectedRows, long insertId, int status, int warnings, String info) {
        static Ok parse(byte[] p) {
            return parse(p, true);
        }

        /** {@code exact}: the packet must end after the info text (no session state). */
        static Ok parse(byte[] p, boolean exact) {
            assertThat(p[0] & 0xff).as("OK header").isIn(0x00, 0xfe);
            int[] at = {1};
            long affected = lenenc(p, at);
            long insertId = lenenc(p, at);
            int status = (p[at[0]] & 0xff) | (p[at[0] + 1] & 0xff) << 8;
            int warnings = (p[at[0] + 2] & 0xff) | (p[at[0] + 3] & 0xff) << 8;
            at[0] += 4;
            String info = "";
            if (at[0] < p.length) {
                int n = (int) lenenc(p, at);
                info = new String(p, at[0], n, StandardCharsets.UTF_8);
                at[0] += n;
            }
            if (exact) {
                assertThat(at[0]).as("nothing after the info text").isEqualTo(p.length);
            }
            return new Ok(affected, insertId, status, warnings, info);
        }

        boolean stateChanged() {
            return (status & ServerStatusFlag.SESSION_STATE_CHANGED) != 0;
        }

        private static long lenenc(byte[] p, int[] at) {
            int b = p[at[0]++] & 0xff;
            int n = b < 0xfb ? 0 : b == 0xfc ? 2 : b == 0xfd ? 3 : 8;
            if (n == 0) {
                return b;
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) (p[at[0]++] & 0xff) << (8 * i);
            }
            return v;
        }
    }

    private static Ok ok(RawClient c, String sql) throws Exception {
        byte[] reply = c.command(Command.COM_QUERY, sql);
        assertThat(RawClient.isOk(reply)).as(sql + ": " + RawClient.describe(reply)).isTrue();
        return Ok.parse(reply, !c.sessionTrack);
    }

    /** The single value of a one-row, one-column text result; its terminator's OK is in {@code terminator[0]}. */
    private static String value(RawClient c, String sql, Ok[] terminator) throws Exception {
        byte[] first = c.command(Command.COM_QUERY, sql);
        assertThat(RawClient.isErr(first)).as(sql + ": " + RawClient.describe(first) + " last sequence "
                + c.lastSequence).isFalse();
        List<byte[]> rows = c.readRows(first);
        assertThat(rows).as(sql).hasSize(1);
        byte[] row = rows.get(0);
        if (terminator != null) {
            terminator[0] = Ok.parse(c.lastTerminator, !c.sessionTrack);
        }
        return new String(row, 1, row[0] & 0xff, StandardCharsets.UTF_8);
    }

    private static int port(RawClient c) throws Exception {
        return Integer.parseInt(value(c, "SELECT @@port", null));
    }

    /**
     * The same statements through a raw client with and without CLIENT_SESSION_TRACK: the one that asked gets the
     * session state (so the statements do change it), the other gets OKs with no trace of it and its affected
     * rows, insert ids and info texts intact, for a plain OK, the OK ending a result set (DEPRECATE_EOF) and the OK
     * after LOAD DATA LOCAL INFILE.
     */
    @Test
    void aClientWithoutSessionTrackingNeverSeesSessionState() throws Exception {
        int port = sluice.port("RW-Listener");
        long gtidQueries = diag("causal_gtid_queries");
        try (RawClient tracking = RawClient.loggedIn(port, RAW | Capability.SESSION_TRACK | Capability.DEPRECATE_EOF)) {
            assertThat(ok(tracking, "INSERT INTO test.rwst VALUES (100, 'a')").stateChanged())
                    .as("the server reports last_gtid to a client that asked").isTrue();
            ok(tracking, "SET autocommit = 0");
            Ok[] end = new Ok[1];
            value(tracking, "SELECT v FROM test.rwst WHERE id = 100", end);
            assertThat(end[0].stateChanged()).as("the transaction state in the OK ending the rows").isTrue();
            ok(tracking, "ROLLBACK");
        }
        try (RawClient c = RawClient.loggedIn(port, RAW | Capability.DEPRECATE_EOF)) {
            Ok insert = ok(c, "INSERT INTO test.rwst VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            assertThat(insert).isEqualTo(new Ok(3, 0, ServerStatusFlag.AUTOCOMMIT, 0,
                    "Records: 3  Duplicates: 0  Warnings: 0"));
            Ok update = ok(c, "UPDATE test.rwst SET v = 'z' WHERE id <= 2");
            assertThat(update).isEqualTo(new Ok(2, 0, ServerStatusFlag.AUTOCOMMIT, 0,
                    "Rows matched: 2  Changed: 2  Warnings: 0"));
            Ok warned = ok(c, "INSERT IGNORE INTO test.rwst VALUES (1, 'dup'), (4, 'd')");
            assertThat(warned).isEqualTo(new Ok(1, 0, ServerStatusFlag.AUTOCOMMIT, 1,
                    "Records: 2  Duplicates: 1  Warnings: 1"));
            Ok off = ok(c, "SET autocommit = 0");
            assertThat(off.stateChanged()).isFalse();
            assertThat(off.info()).isEmpty();
            Ok[] end = new Ok[1];
            assertThat(value(c, "SELECT v FROM test.rwst WHERE id = 1", end)).isEqualTo("z");
            assertThat(c.lastTerminator[0] & 0xff).isEqualTo(0xfe);
            assertThat(end[0].stateChanged()).isFalse();
            assertThat(end[0].status() & ServerStatusFlag.IN_TRANS).as("the other flags stay").isNotZero();
            assertThat(end[0].info()).isEmpty();
            assertThat(ok(c, "COMMIT").stateChanged()).isFalse();
            assertThat(ok(c, "SET autocommit = 1").stateChanged()).isFalse();

            c.writePacket(0, ("\u0003LOAD DATA LOCAL INFILE 'rows.txt' INTO TABLE test.rwst")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] ask = c.readPacket();
            assertThat(ask[0] & 0xff).as(RawClient.describe(ask)).isEqualTo(0xfb);
            c.writePacket(2, "10\tx\n11\ty\n".getBytes(StandardCharsets.UTF_8));
            c.writePacket(3, new byte[0]);
            byte[] loaded = c.readPacket();
            assertThat(RawClient.isOk(loaded)).as(RawClient.describe(loaded)).isTrue();
            assertThat(Ok.parse(loaded)).isEqualTo(new Ok(2, 0, ServerStatusFlag.AUTOCOMMIT, 0,
                    "Records: 2  Deleted: 0  Skipped: 0  Warnings: 0"));
            assertThat(value(c, "SELECT COUNT(*) FROM test.rwst WHERE id IN (10, 11)", null))
                    .as("causal_reads: the replica waited for the LOAD DATA").isEqualTo("2");
            assertThat(diag("causal_gtid_queries") - gtidQueries).as("no SELECT @@last_gtid").isZero();
        } finally {
            try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement()) {
                st.execute("DELETE FROM test.rwst");
            }
        }
    }

    /**
     * A raw client without CLIENT_SESSION_TRACK nor DEPRECATE_EOF: an isolation level or a transaction set inside a
     * stored procedure (the status flags cannot say the former) keeps the session on the primary.
     */
    @Test
    void whatAStoredProcedureDoesKeepsARawClientsSessionOnThePrimary() throws Exception {
        try (RawClient c = RawClient.loggedIn(sluice.port("RW-Listener"), RAW)) {
            assertThat(port(c)).isIn(REPLICA_PORTS);
            Ok call = ok(c, "CALL test.rwst_serializable()");
            assertThat(call.stateChanged()).isFalse();
            assertThat(call.info()).isEmpty();
            for (int i = 0; i < 3; i++) {
                assertThat(port(c)).as("SERIALIZABLE").isEqualTo(primaryPort);
            }
            ok(c, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            assertThat(port(c)).isIn(REPLICA_PORTS);
            ok(c, "CALL test.rwst_begin()");
            assertThat(port(c)).as("transaction").isEqualTo(primaryPort);
            ok(c, "COMMIT");
            assertThat(port(c)).isIn(REPLICA_PORTS);
        }
    }

    /**
     * MySQL Connector/J (no CLIENT_SESSION_TRACK): the same for stored procedures, and causal_reads learns each
     * write's GTID from its OK: no {@code SELECT @@last_gtid} ({@code causal_gtid_queries} stays 0).
     */
    @Test
    void mysqlConnectorJGetsTrackingWithoutSeeingIt() throws Exception {
        long gtidQueries = diag("causal_gtid_queries");
        try (Connection c = sluice.connect(Client.MYSQL_TEXT, "RW-Listener", "test",
                "socketTimeout=20000&connectTimeout=10000");
             Statement st = c.createStatement()) {
            assertThat(SluiceFixture.serverPort(st)).isIn(REPLICA_PORTS);
            st.execute("CALL test.rwst_serializable()");
            for (int i = 0; i < 3; i++) {
                assertThat(SluiceFixture.serverPort(st)).as("SERIALIZABLE").isEqualTo(primaryPort);
            }
            st.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            assertThat(SluiceFixture.serverPort(st)).isIn(REPLICA_PORTS);
            st.execute("CALL test.rwst_begin()");
            assertThat(SluiceFixture.serverPort(st)).as("transaction").isEqualTo(primaryPort);
            st.execute("COMMIT");
            for (int id = 200; id < 203; id++) {
                assertThat(st.executeUpdate("INSERT INTO test.rwst VALUES (" + id + ", 'm')")).isEqualTo(1);
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*), @@port FROM test.rwst WHERE id = " + id)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("the session sees its write").isEqualTo(1);
                    assertThat(rs.getInt(2)).isIn(REPLICA_PORTS);
                }
            }
            assertThat(st.executeUpdate("UPDATE test.rwst SET v = 'n' WHERE id >= 200")).isEqualTo(3);
        } finally {
            try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement()) {
                st.execute("DELETE FROM test.rwst WHERE id >= 200");
            }
        }
        assertThat(diag("causal_gtid_queries") - gtidQueries).as("no SELECT @@last_gtid").isZero();
    }

    /**
     * With persistpoolmax, a readwritesplit session's connections (CLIENT_SESSION_TRACK negotiated for the router)
     * go back to the pool and serve later readwritesplit sessions, tracking again; a readconnroute session, which
     * relays OKs as they are, never gets one: its client, without the capability, sees no session state although
     * {@code SET autocommit} is tracked by default.
     */
    @Test
    void pooledConnectionsServeOnlySessionsAskingForTheSameCapabilities() throws Exception {
        long reuses = sluice.server.server("db1").pooledReuses.sum();
        long gtidQueries = diag("causal_gtid_queries");
        try {
            for (int round = 0; round < 4; round++) {
                try (RawClient c = RawClient.loggedIn(sluice.port("RW-Listener"), RAW | Capability.DEPRECATE_EOF)) {
                    Ok insert = ok(c, "INSERT INTO test.rwst VALUES (" + (300 + round) + ", 'p')");
                    assertThat(insert.stateChanged()).isFalse();
                    assertThat(value(c, "SELECT COUNT(*) FROM test.rwst WHERE id = " + (300 + round), null))
                            .isEqualTo("1");
                    ok(c, "CALL test.rwst_serializable()");
                    assertThat(port(c)).as("round " + round + ": SERIALIZABLE").isEqualTo(primaryPort);
                }
                Thread.sleep(100); // the closed session's connections reach the pool
                for (int i = 0; i < 2; i++) { // sessions alternate between the two workers, each with its pool
                    try (RawClient d = RawClient.loggedIn(sluice.port("Direct-Listener"),
                            RAW | Capability.DEPRECATE_EOF)) {
                        Ok off = ok(d, "SET autocommit = 0");
                        assertThat(off.stateChanged()).as("round " + round).isFalse();
                        assertThat(value(d, "SELECT @@session_track_transaction_info", null)).isEqualTo("OFF");
                    }
                    Thread.sleep(100);
                }
            }
        } finally {
            try (Connection root = topology.primary().rootConnection(); Statement st = root.createStatement()) {
                st.execute("DELETE FROM test.rwst WHERE id >= 300");
            }
        }
        assertThat(sluice.server.server("db1").pooledReuses.sum() - reuses).as("pooled connections reused")
                .isGreaterThanOrEqualTo(3);
        assertThat(diag("causal_gtid_queries") - gtidQueries).as("no SELECT @@last_gtid").isZero();
    }

    /**
     * COM_CHANGE_USER and COM_RESET_CONNECTION reset the servers' tracking settings: the session sets them up again
     * (an isolation level set in a procedure still keeps it on the primary), and the raw client's OK to the change
     * of user carries no session state.
     */
    @Test
    void trackingSurvivesChangeUserAndResetConnection() throws Exception {
        try (RawClient c = RawClient.loggedIn(sluice.port("RW-Listener"), RAW | Capability.DEPRECATE_EOF)) {
            for (int round = 0; round < 2; round++) {
                byte[] answer = round == 0
                        ? c.changeUser(MariaDbTopology.APP_USER, MariaDbTopology.APP_PASSWORD, "test")
                        : c.command(Command.COM_RESET_CONNECTION, "");
                assertThat(RawClient.isOk(answer)).as(RawClient.describe(answer)).isTrue();
                assertThat(Ok.parse(answer).stateChanged()).isFalse();
                assertThat(port(c)).as("round " + round).isIn(REPLICA_PORTS);
                ok(c, "CALL test.rwst_serializable()");
                assertThat(port(c)).as("round " + round + ": SERIALIZABLE").isEqualTo(primaryPort);
                ok(c, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
        }
    }
}
