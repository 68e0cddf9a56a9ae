package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.protocol.Capability;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Commands no common driver sends any more, spoken by {@link RawClient} on a plain socket: COM_FIELD_LIST,
 * COM_STATISTICS, COM_SET_OPTION, COM_PROCESS_KILL, COM_CHANGE_USER, and command bytes the protocol does not
 * know. With and without CLIENT_DEPRECATE_EOF where the reply shape depends on it.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class RawCommandsIT {
    static final String LISTENER = "Raw-Listener";
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS test.raw_fields (id INT PRIMARY KEY, name VARCHAR(20), "
                    + "created DATETIME)");
        }
        String cnf = SluiceFixture.baseConfig(topology, "", false)
                + SluiceFixture.service("Raw", "running", "db1", LISTENER, "");
        sluice = SluiceFixture.start(topology, cnf);
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    static RawClient login(long extraCapabilities) throws Exception {
        return RawClient.loggedIn(sluice.port(LISTENER), RawClient.CAPABILITIES | extraCapabilities);
    }

    /** SELECT 1 as a text query; asserts the single value comes back. */
    static void assertSelectOneWorks(RawClient c) throws Exception {
        byte[] first = c.command(Command.COM_QUERY, "SELECT 1");
        assertThat(first).as("column count").containsExactly(1);
        assertThat(c.readRows(first)).singleElement().satisfies(row -> assertThat(row).containsExactly(1, '1'));
        assertThat(c.lastTerminator[0] & 0xff).isEqualTo(0xfe);
    }

    @ParameterizedTest(name = "deprecateEof={0}")
    @ValueSource(booleans = {false, true})
    void fieldListDescribesTheColumnsOfATable(boolean deprecateEof) throws Exception {
        try (RawClient c = login(deprecateEof ? Capability.DEPRECATE_EOF : 0)) {
            c.writePacket(0, payload(Command.COM_FIELD_LIST, "raw_fields\0"));
            List<byte[]> reply = c.readUntilEof();
            assertThat(reply).hasSize(4); // three column definitions, then EOF
            assertThat(new String(reply.get(1), StandardCharsets.UTF_8)).contains("name");
            assertThat(reply.get(3)[0] & 0xff).isEqualTo(0xfe);
            assertSelectOneWorks(c);
            c.writePacket(0, payload(Command.COM_FIELD_LIST, "no_such_table\0"));
            byte[] err = c.readPacket();
            assertThat(RawClient.err(err).errorCode()).isEqualTo(1146);
            assertSelectOneWorks(c);
        }
    }

    @Test
    void statisticsReturnsTheServersSummaryLine() throws Exception {
        try (RawClient c = login(Capability.DEPRECATE_EOF)) {
            byte[] stats = c.command(Command.COM_STATISTICS, "");
            assertThat(new String(stats, StandardCharsets.UTF_8)).startsWith("Uptime: ").contains("Threads: ");
            assertSelectOneWorks(c);
        }
    }

    @Test
    void setOptionTurnsMultiStatementsOnAndOff() throws Exception {
        try (RawClient c = login(0)) {
            byte[] refused = c.command(Command.COM_QUERY, "SELECT 1; SELECT 2");
            assertThat(RawClient.err(refused).errorCode()).isEqualTo(1064);

            byte[] on = c.command(Command.COM_SET_OPTION, "\0\0");
            assertThat(on[0] & 0xff).as("EOF answers COM_SET_OPTION").isEqualTo(0xfe);
            byte[] columns = c.command(Command.COM_QUERY, "SELECT 1; SELECT 2");
            assertThat(c.readRows(columns)).singleElement().satisfies(row -> assertThat(row).containsExactly(1, '1'));
            assertThat(c.lastTerminatorStatus() & 0x08).as("SERVER_MORE_RESULTS_EXISTS").isNotZero();
            columns = c.readPacket();
            assertThat(c.readRows(columns)).singleElement().satisfies(row -> assertThat(row).containsExactly(1, '2'));
            assertThat(c.lastTerminatorStatus() & 0x08).isZero();
            assertSelectOneWorks(c);

            byte[] off = c.command(Command.COM_SET_OPTION, "\1\0");
            assertThat(off[0] & 0xff).isEqualTo(0xfe);
            assertThat(RawClient.err(c.command(Command.COM_QUERY, "SELECT 1; SELECT 2")).errorCode()).isEqualTo(1064);
            assertSelectOneWorks(c);
        }
    }

    @ParameterizedTest(name = "command 0x{0}")
    @ValueSource(strings = {"20", "7f", "ee", "ff"})
    void anUnknownCommandGetsError1047AndTheSessionStaysUsable(String hex) throws Exception {
        try (RawClient c = login(Capability.DEPRECATE_EOF)) {
            c.writePacket(0, new byte[] {(byte) Integer.parseInt(hex, 16), 1, 2, 3});
            byte[] answer = c.readPacket();
            ErrPacket err = RawClient.err(answer);
            assertThat(err.errorCode()).isEqualTo(1047);
            assertThat(err.sqlState()).isEqualTo("08S01");
            assertThat(c.lastSequence).isEqualTo(1);
            assertSelectOneWorks(c);
        }
    }

    @Test
    void processKillWithTheProxyIdEndsTheOtherSession() throws Exception {
        try (RawClient victim = login(0); RawClient killer = login(0)) {
            long id = victim.greeting.connectionId();
            byte[] kill = {Command.COM_PROCESS_KILL, (byte) id, (byte) (id >> 8), (byte) (id >> 16), (byte) (id >> 24)};
            killer.writePacket(0, kill);
            assertThat(RawClient.isOk(killer.readPacket())).isTrue();
            byte[] rest = victim.readUntilClosed();
            ErrPacket notice = RawClient.errIn(rest);
            assertThat(notice).isNotNull();
            assertThat(notice.errorCode()).isEqualTo(1927);
            assertSelectOneWorks(killer);
            killer.writePacket(0, kill);
            assertThat(RawClient.err(killer.readPacket()).errorCode()).isEqualTo(1094);
        }
    }

    @Test
    void changeUserIsReauthenticatedByTheProxy() throws Exception {
        try (RawClient c = login(Capability.DEPRECATE_EOF)) {
            byte[] answer = c.changeUser("maxuser", "maxpwd", "test");
            assertThat(RawClient.isOk(answer)).as(RawClient.describe(answer)).isTrue();
            byte[] columns = c.command(Command.COM_QUERY, "SELECT CURRENT_USER()");
            assertThat(c.readRows(columns)).singleElement()
                    .satisfies(row -> assertThat(new String(row, StandardCharsets.UTF_8)).contains("maxuser@%"));
        }
    }

    static byte[] payload(int command, String argument) {
        byte[] arg = argument.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[arg.length + 1];
        p[0] = (byte) command;
        System.arraycopy(arg, 0, p, 1, arg.length);
        return p;
    }
}
