package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.protocol.Capability;
import dev.sluice.protocol.Command;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stored procedures that open a cursor, through readwritesplit. Inside such a procedure the server keeps
 * SERVER_STATUS_CURSOR_EXISTS set on the result sets it sends afterwards (a SELECT after {@code CLOSE c}), which
 * means "no rows follow, fetch them" only in the reply to a COM_STMT_EXECUTE that asked for a cursor. Taken
 * anywhere else, the proxy ended the reply after the column definitions and dropped its rows and its final OK:
 * the client waited forever (issue 10). Every read here is bounded (socket timeouts), so a reply that never
 * ends fails the test.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ReadWriteSplitStoredProcedureIT {
    static final String PROCEDURE = "CREATE PROCEDURE test.sp_cursor_p() BEGIN DECLARE c CURSOR FOR "
            + "SELECT a FROM test.sp_cursor_t1; OPEN c; CLOSE c; SELECT 5; END";
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE test.sp_cursor_t1 (a INT)");
            s.execute("INSERT INTO test.sp_cursor_t1 VALUES (1), (2), (3)");
            s.execute("DROP PROCEDURE IF EXISTS test.sp_cursor_p");
            s.execute(PROCEDURE);
            // FETCH in a loop, then a result set built from what the cursor read
            s.execute("CREATE OR REPLACE PROCEDURE test.sp_cursor_sum() BEGIN DECLARE done INT DEFAULT 0; "
                    + "DECLARE v, total INT DEFAULT 0; DECLARE c CURSOR FOR SELECT a FROM test.sp_cursor_t1; "
                    + "DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1; OPEN c; "
                    + "l: LOOP FETCH c INTO v; IF done THEN LEAVE l; END IF; SET total = total + v; END LOOP; "
                    + "CLOSE c; SELECT total; SELECT a FROM test.sp_cursor_t1 ORDER BY a; END");
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

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"MARIADB_TEXT", "MARIADB_SERVER_PREPARED"})
    void callOfAProcedureThatOpenedACursorReturnsItsResultAndTheConnectionGoesOn(Client client) throws Exception {
        try (Connection c = sluice.connect(client, "RW-Listener", "test", "socketTimeout=15000")) {
            try (Statement st = c.createStatement()) {
                assertThat(st.execute("CALL sp_cursor_p()")).as("a result set first").isTrue();
                try (ResultSet rs = st.getResultSet()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(5);
                    assertThat(rs.next()).isFalse();
                }
                assertThat(st.getMoreResults()).as("then the CALL's own OK").isFalse();
                assertThat(st.getUpdateCount()).isZero();
            }
            try (CallableStatement call = c.prepareCall("{call sp_cursor_sum()}")) {
                assertThat(call.execute()).isTrue();
                try (ResultSet rs = call.getResultSet()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(6);
                }
                assertThat(call.getMoreResults()).isTrue();
                try (ResultSet rs = call.getResultSet()) {
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                    }
                    assertThat(rows).isEqualTo(3);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT a FROM sp_cursor_t1 WHERE a = ?")) {
                ps.setInt(1, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("the session is still in step").isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void procedureCreatedThroughTheProxyCanBeCalledThroughIt() throws Exception {
        try (Connection c = sluice.connect(Client.MARIADB_TEXT, "RW-Listener", "test", "socketTimeout=15000");
             Statement st = c.createStatement()) {
            st.execute("DROP PROCEDURE IF EXISTS sp_cursor_p2");
            st.execute(PROCEDURE.replace("test.sp_cursor_p()", "sp_cursor_p2()"));
            try (ResultSet rs = st.executeQuery("CALL sp_cursor_p2()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(5);
            }
            st.execute("DROP PROCEDURE sp_cursor_p2");
        }
    }

    @Test
    void theCommandLineClientGetsEveryResultOfTheCalls() throws Exception {
        // libmariadb does not ask for CLIENT_DEPRECATE_EOF: the column definitions end with an EOF packet
        ExternalCommand r = ExternalCommand.mariadb(sluice.port("RW-Listener"),
                "CALL sp_cursor_p(); CALL sp_cursor_sum(); SELECT 'after'", null);
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.lines()).containsExactly("5", "6", "1", "2", "3", "after");
    }

    static RawClient login(boolean deprecateEof) throws Exception {
        return RawClient.loggedIn(sluice.port("RW-Listener"),
                RawClient.CAPABILITIES | (deprecateEof ? Capability.DEPRECATE_EOF : 0));
    }

    @ParameterizedTest(name = "deprecateEof={0}")
    @ValueSource(booleans = {false, true})
    void textProtocolCallEndsWithTheProceduresOk(boolean deprecateEof) throws Exception {
        try (RawClient c = login(deprecateEof)) {
            c.writePacket(0, RawCommandsIT.payload(Command.COM_QUERY, "CALL sp_cursor_p()"));
            RawClient.Reply reply = c.readReply();
            assertThat(reply.failed()).as("%s", RawClient.describe(reply.last())).isFalse();
            assertThat(reply.resultSets()).singleElement()
                    .satisfies(rows -> assertThat(rows).singleElement().satisfies(
                            row -> assertThat(row).containsExactly(1, '5')));
            assertThat(RawClient.isOk(reply.last())).as("the CALL's OK ends the reply").isTrue();
            RawCommandsIT.assertSelectOneWorks(c);
        }
    }

    @ParameterizedTest(name = "deprecateEof={0}")
    @ValueSource(booleans = {false, true})
    void binaryProtocolCallWithoutACursorEndsWithTheProceduresOk(boolean deprecateEof) throws Exception {
        try (RawClient c = login(deprecateEof)) {
            int id = c.prepare("CALL sp_cursor_sum()");
            c.execute(id, 0);
            RawClient.Reply reply = c.readReply();
            assertThat(reply.failed()).as("%s", RawClient.describe(reply.last())).isFalse();
            List<List<byte[]>> sets = reply.resultSets();
            assertThat(sets).hasSize(2);
            assertThat(sets.get(1)).hasSize(3);
            assertThat(RawClient.isOk(reply.last())).isTrue();
            c.execute(id, 0);
            assertThat(c.readReply().resultSets()).as("executed again").hasSize(2);
            RawCommandsIT.assertSelectOneWorks(c);
        }
    }

    @ParameterizedTest(name = "deprecateEof={0}")
    @ValueSource(booleans = {false, true})
    void executeThatAsksForACursorStillEndsAfterTheColumnDefinitions(boolean deprecateEof) throws Exception {
        try (RawClient c = login(deprecateEof)) {
            c.writePacket(0, RawCommandsIT.payload(Command.COM_QUERY, "BEGIN"));
            assertThat(RawClient.isOk(c.readPacket())).isTrue();
            int id = c.prepare("SELECT a FROM sp_cursor_t1 ORDER BY a");
            c.execute(id, 1); // CURSOR_TYPE_READ_ONLY
            byte[] columns = c.readPacket();
            assertThat(columns).containsExactly(1);
            c.readPacket(); // the column definition
            byte[] end = c.readPacket();
            assertThat(end[0] & 0xff).isEqualTo(0xfe);
            // COM_STMT_FETCH of 10 rows: the three rows, then an EOF with SERVER_STATUS_LAST_ROW_SENT
            c.writePacket(0, new byte[] {Command.COM_STMT_FETCH, (byte) id, (byte) (id >> 8), (byte) (id >> 16),
                    (byte) (id >> 24), 10, 0, 0, 0});
            List<byte[]> fetched = c.readUntilEof();
            assertThat(fetched).hasSize(4);
            c.writePacket(0, RawCommandsIT.payload(Command.COM_QUERY, "COMMIT"));
            assertThat(RawClient.isOk(c.readPacket())).isTrue();
            RawCommandsIT.assertSelectOneWorks(c);
        }
    }
}
