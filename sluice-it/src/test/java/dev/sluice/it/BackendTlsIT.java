package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.MariaDbTopology;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS from Sluice to a backend: a server section with {@code ssl=true} makes Sluice's backend connection
 * encrypted (the server reports a cipher for it); without it the connection is plain. Uses its own
 * one-node topology whose server has a certificate made with openssl for the test.
 */
class BackendTlsIT {
    @TempDir
    static Path tmp;
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        Path[] pem = SluiceFixture.selfSignedCertificate(tmp, "127.0.0.1");
        Path cert = pem[0];
        Path key = pem[1];
        topology = MariaDbTopology.builder().replicas(0).namePrefix("tls")
                .cnfLine("ssl-cert=" + cert).cnfLine("ssl-key=" + key).start();
        String port = String.valueOf(topology.primary().port());
        String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nskip_name_resolve=true\n\n"
                + "[tls1]\ntype=server\naddress=127.0.0.1\nport=" + port + "\nssl=true\n\n"
                + "[plain1]\ntype=server\naddress=127.0.0.1\nport=" + port + "\n\n"
                + "[Tls]\ntype=service\nrouter=readconnroute\nrouter_options=running\nservers=tls1\n"
                + "user=maxuser\npassword=maxpwd\n\n"
                + "[Plain]\ntype=service\nrouter=readconnroute\nrouter_options=running\nservers=plain1\n"
                + "user=maxuser\npassword=maxpwd\n\n"
                + "[Tls-Listener]\ntype=listener\nservice=Tls\naddress=127.0.0.1\nport=0\n\n"
                + "[Plain-Listener]\ntype=listener\nservice=Plain\naddress=127.0.0.1\nport=0\n";
        sluice = SluiceFixture.start(topology, cnf);
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    private static String backendCipher(String listener) throws Exception {
        try (Connection c = sluice.app(listener); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
                     + "WHERE VARIABLE_NAME = 'Ssl_cipher'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void aServerWithSslTrueIsReachedOverTls() throws Exception {
        assertThat(backendCipher("Tls-Listener")).as("cipher of Sluice's backend connection").isNotBlank();
    }

    @Test
    void aServerWithoutSslIsReachedInTheClear() throws Exception {
        assertThat(backendCipher("Plain-Listener")).isEmpty();
    }
}
