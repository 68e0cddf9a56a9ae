package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Messages of 16 MiB and more in both directions: a 64 MiB BLOB written and read back through Sluice,
 * checked by SHA-256 on the client and on the server (the topology runs with max_allowed_packet=1G).
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class LargePacketIT {
    static final String LISTENER = "Large-Listener";
    static final int SIZE = 64 << 20;
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    static byte[] blob;
    static String sha256;

    @BeforeAll
    static void start() throws Exception {
        sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "", false)
                + SluiceFixture.service("Large", "running", "db1", LISTENER, ""));
        blob = new byte[SIZE];
        new Random(64).nextBytes(blob);
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS test.large_blobs (id VARCHAR(40) PRIMARY KEY, b LONGBLOB)");
        }
    }

    @AfterAll
    static void stop() {
        blob = null;
        if (sluice != null) {
            sluice.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"MARIADB_TEXT", "MYSQL_SERVER_PREPARED"})
    void a64MiBBlobSurvivesTheRoundTrip(Client client) throws Exception {
        try (Connection c = sluice.connect(client, LISTENER, "test", "")) {
            try (PreparedStatement ps = c.prepareStatement("REPLACE INTO large_blobs VALUES (?, ?)")) {
                ps.setString(1, client.name());
                ps.setBytes(2, blob);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT LENGTH(b), SHA2(b, 256), b FROM large_blobs WHERE id = ?")) {
                ps.setString(1, client.name());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(SIZE);
                    assertThat(rs.getString(2)).as("hash on the server").isEqualTo(sha256);
                    byte[] back = rs.getBytes(3);
                    assertThat(back).hasSize(SIZE);
                    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(back)))
                            .as("hash of what came back").isEqualTo(sha256);
                }
            }
            // row payload = 4-byte lenenc + n + 6 ('after'): one byte short of a full packet, exactly 16 MiB - 1
            // (continued by an empty packet), one byte over; and a value of 16 MiB, whose row starts with 0xFE
            for (int length : new int[] {0xFFFFFF - 11, 0xFFFFFF - 10, 0xFFFFFF - 9, 0x1000000}) {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT REPEAT('a', " + length + "), 'after'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).hasSize(length);
                    assertThat(rs.getString(2)).isEqualTo("after");
                }
            }
            assertThat(CommandsIT.scalar(c, "SELECT 'still in sync'")).isEqualTo("still in sync");
        }
    }
}
