package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random commands after login, through readwritesplit and readconnroute: valid, truncated and garbage
 * COM_QUERY, prepared-statement commands with wrong ids and mangled parameters, unknown command bytes and
 * the rest of the command set with random payloads. Every command that the protocol answers must be answered
 * (no hang) with a well-formed reply, and a session the proxy ends must get an ERR packet before the close.
 * Afterwards the proxy serves a normal client and holds no session, no backend connection and no buffer.
 * The run is seeded: {@code -Dsluice.fuzz.seed=N} repeats one, {@code -Dsluice.fuzz.clients=N} makes it longer.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ProtocolFuzzIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    static final long SEED = Long.getLong("sluice.fuzz.seed", System.nanoTime());
    static final int CLIENTS = Integer.getInteger("sluice.fuzz.clients", 25);
    static final int COMMANDS = 30;

    static final String[] SQL = {
        "SELECT 1", "SELECT @@port", "SET @a = 1", "SELECT @a", "BEGIN", "COMMIT", "ROLLBACK",
        "START TRANSACTION READ ONLY", "SET autocommit=0", "SET autocommit=1", "USE test",
        "CREATE TABLE IF NOT EXISTS fuzz (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(40))",
        "INSERT INTO fuzz (v) VALUES ('x')", "SELECT * FROM fuzz ORDER BY id DESC LIMIT 3",
        "SELECT * FROM fuzz FOR UPDATE", "CREATE TEMPORARY TABLE IF NOT EXISTS tt (a INT)",
        "INSERT INTO tt VALUES (1)", "SELECT * FROM tt", "PREPARE s FROM 'SELECT ?'", "EXECUTE s USING @a",
        "DEALLOCATE PREPARE s", "SELECT 1; SELECT 2", "/* sluice explain */ SELECT 1",
        "SELECT 1 -- maxscale route to master", "SELECT 1 -- maxscale route to slave", "SELECT FOUND_ROWS()",
        "SELECT LAST_INSERT_ID()", "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE",
        "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", "SELECT SLEEP(0.01)", "DO 1",
        "SHOW TABLES", "SELECT * FROM information_schema.nonexistent", "XA START 'x'", "XA END 'x'",
        "SELECT 'a' INTO @b", "SET NAMES utf8mb4", "KILL QUERY 99999999", "SELECT REPEAT('x', 70000)",
    };
    static final String[] PREPARE = {
        "SELECT ?", "SELECT ?, ?", "SELECT @@port", "INSERT INTO fuzz (v) VALUES (?)", "SELECT * FROM fuzz WHERE id > ?",
        "SELECT * FROM nonexistent", "",
    };

    @BeforeAll
    static void start() throws Exception {
        String cnf = SluiceFixture.readWriteSplit(topology, "transaction_replay=true\n")
                + SluiceFixture.service("RCR", "running", "db1,db2,db3", "RCR-Listener", "");
        sluice = SluiceFixture.start(topology, cnf);
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    @AfterEach
    void theProxyStillServesAndHoldsNothing() throws Exception {
        for (String listener : List.of("RW-Listener", "RCR-Listener")) {
            try (Connection c = sluice.connect(listener, "app", "apppwd", "test", "");
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 'fine'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("fine");
            }
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(10), () -> sluice.server.sessions().size() == 0))
                .as("sessions left: %d (seed %d)", sluice.server.sessions().size(), SEED).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RW-Listener", "RCR-Listener"})
    void randomCommandsAreAnsweredOrRefusedAndNeverHang(String listener) throws Exception {
        fuzz(listener, SEED, CLIENTS, true);
    }

    /** Seeds that once found a bug, replayed every run. */
    @ParameterizedTest
    @CsvSource({
        "RW-Listener, 30013582410415, 3", // a refused COM_BINLOG_DUMP left the backend streaming: the next query hung
    })
    void seedsThatFoundBugs(String listener, long seed, int clients) throws Exception {
        fuzz(listener, seed, clients, false);
    }

    private void fuzz(String listener, long seed, int clients, boolean checkVariety) throws Exception {
        final long SEED = seed;
        final int CLIENTS = clients;
        Random random = new Random(SEED ^ listener.hashCode());
        List<String> log = new ArrayList<>();
        java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (int client = 0; client < CLIENTS; client++) {
            log.clear();
            try (RawClient c = RawClient.loggedIn(sluice.port(listener), RawClient.CAPABILITIES)) {
                for (int i = 0; i < COMMANDS; i++) {
                    byte[] payload = randomCommand(random);
                    log.add(hex(payload));
                    c.writePacket(0, payload);
                    Reply r = readReply(c, payload);
                    if (r.problem != null) {
                        log.add("session " + c.greeting.connectionId() + "; sessions then: "
                                + sluice.server.sessions().all().stream().map(x -> x.sessionId() + " " + x.state()).toList());
                    }
                    assertThat(r.problem).as("seed %d, client %d, commands so far:%n%s", SEED, client,
                            String.join("\n", log)).isNull();
                    kinds.merge(r.kind().startsWith("error") && !r.kind().equals("error 1064") ? "error"
                            : r.kind(), 1, Integer::sum);
                    if (r.closed) {
                        break;
                    }
                }
            }
        }
        System.out.println("ProtocolFuzzIT " + listener + " seed " + SEED + ": " + kinds);
        if (!checkVariety) {
            return;
        }
        // not vacuous: commands ran, statements were prepared and executed, and some were refused
        assertThat(kinds.keySet()).as("seed %d: %s", SEED, kinds)
                .contains("ok", "result set", "prepared", "error", "error 1064");
    }

    /** What came back for one command: a problem (hang, close without ERR, bad framing) or null. */
    record Reply(boolean closed, String problem, String kind) {
        Reply(boolean closed, String problem) {
            this(closed, problem, closed ? "closed" : "quiet");
        }
    }

    private static Reply readReply(RawClient c, byte[] payload) throws IOException {
        int command = payload[0] & 0xff;
        boolean answered = command != 0x01 && command != 0x18 && command != 0x19; // QUIT, SEND_LONG_DATA, CLOSE
        boolean sawErr = false;
        try {
            if (!answered) {
                c.socket.setSoTimeout(300);
                try {
                    byte[] p = c.readPacket();
                    // the proxy may refuse such a command (e.g. a malformed one) with an ERR and a close
                    sawErr = RawClient.isErr(p);
                    return sawErr ? new Reply(true, expectClose(c)) : new Reply(false,
                            "a reply to a command that has none: " + RawClient.describe(p));
                } catch (SocketTimeoutException quiet) {
                    return new Reply(false, null);
                } finally {
                    c.socket.setSoTimeout(15_000);
                }
            }
            c.socket.setSoTimeout(15_000);
            String kind = "?";
            if (command == 0x11) {
                return changeUserReply(c);
            }
            while (true) {
                byte[] first = c.readPacket();
                int status;
                if (RawClient.isErr(first)) {
                    sawErr = true;
                    return new Reply(false, null, "error " + RawClient.err(first).errorCode());
                } else if (first.length > 0 && first[0] == 0 && command == 0x16) {
                    readPrepareOk(c, first);
                    return new Reply(false, null, "prepared");
                } else if (first.length > 0 && (first[0] == 0 || (first[0] & 0xff) == 0xfe)) {
                    status = statusOf(first);
                    kind = "ok";
                } else if (command == 0x09) {
                    return new Reply(false, null); // COM_STATISTICS: one string
                } else if (command == 0x04) {
                    c.readUntilEof(); // COM_FIELD_LIST: definitions up to EOF
                    return new Reply(false, null);
                } else if (command == 0x17 && openedACursor(c, first)) {
                    return new Reply(false, null, "result set"); // rows come by COM_STMT_FETCH
                } else {
                    if (command == 0x17) {
                        readRowsAfterColumns(c);
                    } else {
                        c.readRows(first);
                    }
                    byte[] end = c.lastTerminator;
                    if (RawClient.isErr(end)) {
                        return new Reply(false, null, "error " + RawClient.err(end).errorCode());
                    }
                    kind = "result set";
                    status = c.lastTerminatorStatus();
                }
                if ((status & 0x0008) == 0) { // SERVER_MORE_RESULTS_EXISTS
                    return new Reply(false, null, kind);
                }
            }
        } catch (SocketTimeoutException e) {
            return new Reply(false, "no answer within 15 s");
        } catch (EOFException | SocketException e) {
            return new Reply(true, command == 0x01 || sawErr ? null : "closed without an ERR packet");
        }
    }

    /**
     * Reads a binary result's column definitions and their EOF; true when that EOF says a cursor was opened
     * (SERVER_STATUS_CURSOR_EXISTS: the reply ends there), false when rows follow.
     */
    private static boolean openedACursor(RawClient c, byte[] columnCount) throws IOException {
        int columns = columnCount[0] & 0xff;
        for (int i = 0; i < columns; i++) {
            c.readPacket();
        }
        byte[] eof = c.readPacket(); // no CLIENT_DEPRECATE_EOF: there is always one
        return ((eof[3] & 0xff) & 0x0040) != 0;
    }

    /** The rows of a binary result (after its columns) up to the terminator, kept in {@code lastTerminator}. */
    private static void readRowsAfterColumns(RawClient c) throws IOException {
        while (true) {
            byte[] p = c.readPacket();
            if (p.length > 0 && ((p[0] & 0xff) == 0xff || ((p[0] & 0xff) == 0xfe && p.length < 9))) {
                c.lastTerminator = p;
                return;
            }
        }
    }

    /**
     * COM_CHANGE_USER: the proxy may first ask for mysql_native_password (an auth switch request), which a
     * client answers with a token, here a wrong one; an ERR for a failed change of user may close the session,
     * as a server does.
     */
    private static Reply changeUserReply(RawClient c) throws IOException {
        byte[] p = c.readPacket();
        if (p.length > 0 && (p[0] & 0xff) == 0xfe) {
            byte[] token = new byte[20];
            new Random(p.length).nextBytes(token);
            c.writePacket(c.lastSequence + 1, token);
            p = c.readPacket();
        }
        if (RawClient.isOk(p)) {
            return new Reply(false, null, "ok");
        }
        if (!RawClient.isErr(p)) {
            return new Reply(false, "an answer to COM_CHANGE_USER that is neither OK nor ERR: "
                    + RawClient.describe(p));
        }
        c.socket.setSoTimeout(500); // the proxy closes at once after a refused change of user
        try {
            int next = c.readByte();
            return next < 0 ? new Reply(true, null, "closed")
                    : new Reply(false, "data after a failed COM_CHANGE_USER");
        } catch (SocketTimeoutException stillOpen) {
            return new Reply(false, null, "error " + RawClient.err(p).errorCode());
        } catch (SocketException reset) {
            return new Reply(true, null, "closed");
        } finally {
            c.socket.setSoTimeout(15_000);
        }
    }

    private static String expectClose(RawClient c) throws IOException {
        c.socket.setSoTimeout(5_000);
        try {
            c.readUntilClosed();
            return null;
        } catch (IOException e) {
            return "an ERR without a close: " + e.getMessage();
        }
    }

    private static void readPrepareOk(RawClient c, byte[] ok) throws IOException {
        int columns = (ok[5] & 0xff) | (ok[6] & 0xff) << 8;
        int params = (ok[7] & 0xff) | (ok[8] & 0xff) << 8;
        if (params > 0) {
            for (int i = 0; i < params; i++) {
                c.readPacket();
            }
            c.readPacket(); // EOF
        }
        if (columns > 0) {
            for (int i = 0; i < columns; i++) {
                c.readPacket();
            }
            c.readPacket(); // EOF
        }
    }

    /** Status flags of an OK (0x00) or EOF (0xFE) packet. */
    private static int statusOf(byte[] p) {
        if ((p[0] & 0xff) == 0xfe && p.length < 9) {
            return p.length >= 5 ? (p[3] & 0xff) | (p[4] & 0xff) << 8 : 0;
        }
        int i = 1;
        i += lenencSize(p[i]);
        i += lenencSize(p[i]);
        return i + 1 < p.length ? (p[i] & 0xff) | (p[i + 1] & 0xff) << 8 : 0;
    }

    private static int lenencSize(byte first) {
        int b = first & 0xff;
        return b < 0xfb ? 1 : b == 0xfc ? 3 : b == 0xfd ? 4 : 9;
    }

    // ---- the generator

    static byte[] randomCommand(Random r) {
        int pick = r.nextInt(100);
        if (pick < 30) {
            String sql = SQL[r.nextInt(SQL.length)];
            byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
            if (r.nextInt(4) == 0) {
                bytes = java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length + 1)); // truncated
            } else if (r.nextInt(8) == 0) {
                bytes = randomBytes(r, 40); // garbage
            }
            return command(0x03, bytes);
        }
        if (pick < 45) {
            return command(0x16, PREPARE[r.nextInt(PREPARE.length)].getBytes(StandardCharsets.UTF_8));
        }
        if (pick < 65) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            writeInt(b, statementId(r));
            b.write(r.nextInt(4) == 0 ? r.nextInt(256) : 0); // flags: cursor types, or garbage
            writeInt(b, 1); // iteration count
            if (r.nextBoolean()) { // parameters, well-formed for one or two, or cut anywhere
                int params = 1 + r.nextInt(2);
                b.write(0); // null bitmap
                b.write(1); // new parameters bound
                for (int i = 0; i < params; i++) {
                    b.write(r.nextBoolean() ? 0x08 : 0xfd); // LONGLONG or VAR_STRING
                    b.write(0);
                }
                for (int i = 0; i < params; i++) {
                    if (r.nextBoolean()) {
                        writeInt(b, r.nextInt());
                        writeInt(b, 0);
                    } else {
                        b.write(3);
                        b.writeBytes("abc".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
            byte[] body = b.toByteArray();
            if (r.nextInt(4) == 0) {
                body = java.util.Arrays.copyOf(body, r.nextInt(body.length + 1));
            }
            return command(0x17, body);
        }
        if (pick < 70) { // COM_STMT_FETCH
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            writeInt(b, statementId(r));
            writeInt(b, r.nextInt(5));
            return command(0x1c, cut(r, b.toByteArray()));
        }
        if (pick < 75) { // SEND_LONG_DATA, CLOSE, RESET
            int[] commands = {0x18, 0x19, 0x1a};
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            writeInt(b, statementId(r));
            b.write(0);
            b.write(0);
            b.writeBytes(randomBytes(r, 10));
            return command(commands[r.nextInt(3)], cut(r, b.toByteArray()));
        }
        if (pick < 80) {
            String[] dbs = {"test", "nonexistent", "", "sbtest", "mysql"};
            return command(0x02, dbs[r.nextInt(dbs.length)].getBytes(StandardCharsets.UTF_8));
        }
        if (pick < 84) { // COM_SET_OPTION: on, off, unknown, short
            byte[][] options = {{0, 0}, {1, 0}, {2, 0}, {}, {0}};
            return command(0x1b, options[r.nextInt(options.length)]);
        }
        if (pick < 88) { // COM_FIELD_LIST
            String[] tables = {"fuzz\0", "nonexistent\0", "fuzz", "", "tt\0%"};
            return command(0x04, tables[r.nextInt(tables.length)].getBytes(StandardCharsets.UTF_8));
        }
        if (pick < 92) { // PING, STATISTICS, RESET_CONNECTION, and rarely QUIT
            int[] commands = {0x0e, 0x09, 0x1f, 0x0e, 0x09, 0x1f, 0x01};
            return command(commands[r.nextInt(commands.length)], new byte[0]);
        }
        if (pick < 95) { // COM_CHANGE_USER cut short or garbage
            byte[] body = r.nextBoolean() ? "app\0".getBytes(StandardCharsets.US_ASCII) : randomBytes(r, 30);
            return command(0x11, body);
        }
        if (pick < 97) { // COM_PROCESS_KILL of a session that does not exist
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            writeInt(b, 90_000_000 + r.nextInt(1000));
            return command(0x0c, cut(r, b.toByteArray()));
        }
        // any other command byte, with a random payload
        int command;
        do {
            command = r.nextInt(256);
        } while (command == 0x03 || command == 0x16 || command == 0x17 || command == 0x18 || command == 0x19
                || command == 0x1c || command == 0x01 || command == 0x11 || command == 0x0c || command == 0x04
                || command == 0x09);
        return command(command, randomBytes(r, 20));
    }

    private static int statementId(Random r) {
        return r.nextInt(4) == 0 ? r.nextInt() : 1 + r.nextInt(6);
    }

    private static byte[] cut(Random r, byte[] body) {
        return r.nextInt(4) == 0 ? java.util.Arrays.copyOf(body, r.nextInt(body.length + 1)) : body;
    }

    private static byte[] command(int command, byte[] body) {
        byte[] p = new byte[body.length + 1];
        p[0] = (byte) command;
        System.arraycopy(body, 0, p, 1, body.length);
        return p;
    }

    private static byte[] randomBytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    private static void writeInt(ByteArrayOutputStream b, int v) {
        b.write(v);
        b.write(v >> 8);
        b.write(v >> 16);
        b.write(v >> 24);
    }

    private static String hex(byte[] payload) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(payload.length, 48); i++) {
            sb.append(String.format("%02x", payload[i] & 0xff));
        }
        return sb.append(payload.length > 48 ? "…" : "").toString();
    }
}
