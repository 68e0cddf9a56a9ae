package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.protocol.Command;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input from clients: garbage and truncated handshake responses, wrong sequence numbers, a client that
 * sends nothing. Each gets an ERR or a clean close, and afterwards the proxy still serves a normal client,
 * holds no session and no backend connection for the bad one, and has leaked no buffer.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class MalformedInputIT {
    static final String LISTENER = "Malformed-Listener";
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "", false)
                + SluiceFixture.service("Malformed", "running", "db1", LISTENER, ""));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    @AfterEach
    void theProxyStillServesOthersAndHoldsNothingForTheBadClient() throws Exception {
        try (Connection c = sluice.connect(LISTENER, "app", "apppwd", "test", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 'fine'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("fine");
        }
        assertThat(SluiceFixture.eventually(Duration.ofSeconds(5), () -> sluice.server.sessions().size() == 0
                && sluice.server.server("db1").connections.get() == 0))
                .as("sessions %d, backend connections %d", sluice.server.sessions().size(),
                        sluice.server.server("db1").connections.get())
                .isTrue();
    }

    private static RawClient open() throws Exception {
        RawClient c = RawClient.open(sluice.port(LISTENER));
        c.readGreeting();
        return c;
    }

    @Test
    void garbageInsteadOfAHandshakeResponseGetsBadHandshakeAndAClose() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            try (RawClient c = open()) {
                c.writePacket(1, garbage);
                byte[] rest = c.readUntilClosed();
                ErrPacket err = RawClient.errIn(rest);
                if (err != null) {
                    assertThat(err.errorCode()).as("round %d", round).isIn(1043, 1045, 1156);
                }
            }
        }
    }

    @Test
    void aHandshakeResponseWithoutProtocol41GetsBadHandshake() throws Exception {
        try (RawClient c = open()) {
            c.writePacket(1, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII));
            ErrPacket err = RawClient.errIn(c.readUntilClosed());
            assertThat(err).isNotNull();
            assertThat(err.errorCode()).isEqualTo(1043);
            assertThat(err.message()).isEqualTo("Bad handshake");
        }
    }

    @Test
    void aTruncatedHandshakeResponseGetsBadHandshake() throws Exception {
        try (RawClient c = open()) {
            c.writePacket(1, new byte[] {(byte) 0x85, (byte) 0xa6, 0x3f, 0, 0, 0, 0, 1, 45});
            ErrPacket err = RawClient.errIn(c.readUntilClosed());
            assertThat(err).isNotNull();
            assertThat(err.errorCode()).isEqualTo(1043);
        }
    }

    @Test
    void aPacketCutShortByTheClientClosingIsAbandonedCleanly() throws Exception {
        try (RawClient c = open()) {
            // a header announcing 100 bytes, 10 of them, then the client stops sending
            c.writeRaw(new byte[] {100, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
            c.socket.shutdownOutput();
            c.readUntilClosed();
        }
    }

    @Test
    void aPacketCutShortAfterLoginIsAbandonedCleanly() throws Exception {
        try (RawClient c = RawClient.loggedIn(sluice.port(LISTENER), RawClient.CAPABILITIES)) {
            c.writeRaw(new byte[] {50, 0, 0, 0, Command.COM_QUERY, 'S', 'E', 'L'});
            c.socket.shutdownOutput();
            c.readUntilClosed();
        }
    }

    @Test
    void aHandshakeResponseWithTheWrongSequenceNumberIsRefused() throws Exception {
        try (RawClient c = RawClient.open(sluice.port(LISTENER))) {
            byte[] answer;
            // a valid response, but numbered 5 instead of 1
            c.readGreeting();
            c.writePacket(5, new byte[40]);
            answer = c.readUntilClosed();
            ErrPacket err = RawClient.errIn(answer);
            assertThat(err).isNotNull();
            assertThat(err.errorCode()).isEqualTo(1156);
            assertThat(err.message()).isEqualTo("Got packets out of order");
        }
    }

    @Test
    void aCommandWithTheWrongSequenceNumberIsRefusedAndTheSessionClosed() throws Exception {
        try (RawClient c = RawClient.loggedIn(sluice.port(LISTENER), RawClient.CAPABILITIES)) {
            c.writePacket(3, new byte[] {Command.COM_QUERY, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '1'});
            ErrPacket err = RawClient.errIn(c.readUntilClosed());
            assertThat(err).isNotNull();
            assertThat(err.errorCode()).isEqualTo(1156);
        }
    }

    @Test
    void anEmptyCommandPacketGetsAnErrorOrAClose() throws Exception {
        try (RawClient c = RawClient.loggedIn(sluice.port(LISTENER), RawClient.CAPABILITIES)) {
            c.writePacket(0, new byte[0]);
            c.socket.setSoTimeout(5_000);
            byte[] answer = c.readPacket();
            assertThat(RawClient.isErr(answer)).as(RawClient.describe(answer)).isTrue();
        }
    }

    @Test
    void manyClientsThatConnectAndLeaveAtOnceDisturbNobody() throws Exception {
        for (int i = 0; i < 50; i++) {
            RawClient.open(sluice.port(LISTENER)).close();
        }
    }

    @Test
    void aClientThatSendsNothingIsDisconnectedAfterTheHandshakeTimeout() throws Exception {
        try (RawClient c = open()) {
            long start = System.nanoTime();
            ErrPacket err = RawClient.errIn(c.readUntilClosed());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(5),
                    Duration.ofSeconds(15));
            assertThat(err).isNotNull();
            assertThat(err.errorCode()).isEqualTo(1043);
        }
    }
}
