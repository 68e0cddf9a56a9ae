package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listener kinds besides plain TCP: TLS (a self-signed certificate made with openssl for the test) and a
 * Unix socket.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ListenersIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    static Path socket;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Path[] pem = SluiceFixture.selfSignedCertificate(tmp, "localhost");
        Path cert = pem[0];
        Path key = pem[1];
        // a short path: sun_path holds about 100 bytes
        socket = Path.of("/tmp", "sluice-it-" + ProcessHandle.current().pid() + ".sock");
        sluice = SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "", false)
                + SluiceFixture.service("Tls", "running", "db1", "Tls-Listener",
                        "ssl=true\nssl_cert=" + cert + "\nssl_key=" + key + "\n")
                + SluiceFixture.service("Verified", "running", "db1", "Verified-Listener",
                        "ssl=true\nssl_cert=" + cert + "\nssl_key=" + key + "\nssl_ca=" + cert
                                + "\nssl_verify_peer_certificate=true\n")
                + "[Socket]\ntype=service\nrouter=readconnroute\nrouter_options=running\nservers=db1\n"
                + "user=maxuser\npassword=maxpwd\n\n"
                + "[Socket-Listener]\ntype=listener\nservice=Socket\nsocket=" + socket + "\n");
    }

    /** The test's certificate and key as a PKCS#12 keystore (password "secret"), for a client certificate. */
    static Path clientKeyStore() throws Exception {
        Path p12 = tmp.resolve("client.p12");
        if (!java.nio.file.Files.exists(p12)) {
            Process openssl = new ProcessBuilder("openssl", "pkcs12", "-export", "-in", tmp.resolve("cert.pem").toString(),
                    "-inkey", tmp.resolve("key.pem").toString(), "-out", p12.toString(), "-passout", "pass:secret")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("pkcs12.log").toFile()).start();
            assertThat(openssl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && openssl.exitValue() == 0)
                    .as("openssl pkcs12").isTrue();
        }
        return p12;
    }

    @Test
    void sslVerifyPeerCertificateMakesTheListenerRequireAClientCertificate() throws Exception {
        assertThatThrownBy(() -> sluice.connect("Verified-Listener", "app", "apppwd", "test", "sslMode=trust").close())
                .as("no client certificate").isInstanceOf(SQLException.class);
        String withCertificate = "sslMode=trust&keyStore=" + clientKeyStore() + "&keyStorePassword=secret"
                + "&keyStoreType=PKCS12";
        try (Connection c = sluice.connect("Verified-Listener", "app", "apppwd", "test", withCertificate);
             java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        if (socket != null) {
            java.nio.file.Files.deleteIfExists(socket);
        }
    }

    @Test
    void mariaDbConnectorTalksTlsToATlsListener() throws Exception {
        try (Connection c = sluice.connect("Tls-Listener", "app", "apppwd", "test", "sslMode=trust")) {
            assertThat(CommandsIT.scalar(c, "SELECT 'over tls'")).isEqualTo("over tls");
            assertThat(c.unwrap(org.mariadb.jdbc.Connection.class).getContext()
                    .hasClientCapability(org.mariadb.jdbc.util.constants.Capabilities.SSL)).isTrue();
        }
    }

    @Test
    void mySqlConnectorTalksTlsToATlsListener() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "apppwd");
        String url = "jdbc:mysql://127.0.0.1:" + sluice.port("Tls-Listener") + "/test?sslMode=REQUIRED"
                + "&allowPublicKeyRetrieval=true&useServerPrepStmts=true";
        try (Connection c = DriverManager.getConnection(SluiceFixture.bounded(url), p)) {
            try (var ps = c.prepareStatement("SELECT CONCAT(?, ' over tls')")) {
                ps.setString(1, "prepared");
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("prepared over tls");
                }
            }
        }
    }

    @Test
    void aPlainClientIsRefusedByATlsListener() {
        assertThatThrownBy(() -> sluice.connect("Tls-Listener", "app", "apppwd", "test", "sslMode=disable").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getMessage()).contains("requires TLS");
                });
    }

    @Test
    void aWrongPasswordOverTlsIsRefusedLikeTheServer() {
        assertThatThrownBy(() -> sluice.connect("Tls-Listener", "app", "nope", "test", "sslMode=trust").close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(1045);
                    assertThat(e.getSQLState()).isEqualTo("28000");
                });
    }

    @Test
    void aUnixSocketListenerServesLocalClients() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "app");
        p.setProperty("password", "apppwd");
        p.setProperty("localSocket", socket.toString());
        try (Connection c = DriverManager.getConnection(SluiceFixture.bounded("jdbc:mariadb://localhost/test"), p)) {
            assertThat(CommandsIT.scalar(c, "SELECT 'over a socket'")).isEqualTo("over a socket");
            // the backend sees Sluice's TCP connection, on the primary
            assertThat(CommandsIT.scalar(c, "SELECT @@port")).isEqualTo(String.valueOf(topology.primary().port()));
        }
    }
}
