package dev.sluice.server.config;

import static dev.sluice.server.config.ConfigErrorsTest.lineOf;
import static dev.sluice.server.config.ConfigErrorsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.auth.Account;
import dev.sluice.api.auth.Authenticator;
import dev.sluice.api.auth.Credential;
import dev.sluice.protocol.auth.NativePassword;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A listener's authenticator= and authenticator_options= choose among the installed authenticator modules. */
class ListenerAuthenticatorsTest {
    private static final String BASE = ConfigLoaderTest.BASE;

    @Test
    void withoutAuthenticatorAListenerUsesMariaDbAuth() throws Exception {
        SluiceConfig config = ConfigLoaderTest.parse(BASE);
        assertThat(config.listeners().get("Svc-Port").authenticators()).singleElement()
                .extracting(Authenticator::clientPlugin).isEqualTo("mysql_native_password");
    }

    @Test
    void maxScalesNamesForTheNativeAuthenticatorAreAccepted() throws Exception {
        for (String name : new String[] {"MariaDBAuth", "mariadbauth", "MySQLAuth"}) {
            SluiceConfig config = ConfigLoaderTest.parse(BASE.replace("port=4006", "port=4006\nauthenticator=" + name));
            assertThat(config.listeners().get("Svc-Port").authenticators()).hasSize(1);
        }
    }

    @Test
    void anUnknownAuthenticatorIsRefusedWithTheInstalledOnes() {
        String text = BASE.replace("port=4006", "port=4006\nauthenticator=PAMAuth");
        assertThat(problems(text)).containsExactly("maxscale.cnf:" + lineOf(text, "authenticator=PAMAuth")
                + ": [Svc-Port] authenticator: unknown authenticator module 'PAMAuth' (installed: mariadbauth)");
    }

    @Test
    void anOptionTheAuthenticatorDoesNotSupportIsRefused() {
        String text = BASE.replace("port=4006", "port=4006\nauthenticator_options=skip_authentication=true");
        assertThat(problems(text)).containsExactly("maxscale.cnf:"
                + lineOf(text, "authenticator_options=skip_authentication=true")
                + ": [Svc-Port] authenticator_options: mariadbauth: option skip_authentication not supported");
    }

    @Test
    void aMalformedOptionIsRefused() {
        String text = BASE.replace("port=4006", "port=4006\nauthenticator_options=nonsense");
        assertThat(problems(text)).containsExactly("maxscale.cnf:" + lineOf(text, "authenticator_options=nonsense")
                + ": [Svc-Port] authenticator_options: 'nonsense' is not key=value");
    }

    @Test
    void theNativeAuthenticatorVerifiesAClientAndAnswersAnyServerScramble() throws Exception {
        Authenticator a = ConfigLoaderTest.parse(BASE).listeners().get("Svc-Port").authenticators().get(0);
        byte[] password = "s3cret".getBytes(StandardCharsets.UTF_8);
        byte[] h2 = NativePassword.sha1(NativePassword.sha1(password));
        StringBuilder stored = new StringBuilder("*");
        for (byte b : h2) {
            stored.append(String.format("%02X", b));
        }
        Account account = new Account("app", "%", "mysql_native_password", stored.toString());
        byte[] challenge = a.newChallenge();
        Credential c = a.verify(challenge, NativePassword.token(challenge, password), account);
        assertThat(c).isNotNull();
        assertThat(a.verify(challenge, NativePassword.token(challenge, "wrong".getBytes()), account)).isNull();
        assertThat(a.verify(challenge, NativePassword.token(challenge, password),
                new Account("app", "%", "client_ed25519", "x"))).isNull();
        byte[] serverScramble = a.newChallenge();
        assertThat(a.backendToken(serverScramble, c)).isEqualTo(NativePassword.token(serverScramble, password));
    }
}
