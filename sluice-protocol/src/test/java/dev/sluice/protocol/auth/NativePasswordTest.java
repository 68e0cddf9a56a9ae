package dev.sluice.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NativePasswordTest {
    private static final byte[] PASSWORD = "apppwd".getBytes(StandardCharsets.UTF_8);

    private static byte[] storedHash(byte[] password) {
        return NativePassword.sha1(NativePassword.sha1(password));
    }

    @Test
    void theStoredHashIsSha1OfSha1AsMariaDbPrintsIt() {
        // SELECT PASSWORD('apppwd') on MariaDB
        String printed = "*" + HexFormat.of().withUpperCase().formatHex(storedHash(PASSWORD));
        assertThat(NativePassword.parseStoredHash(printed)).isEqualTo(storedHash(PASSWORD));
        assertThat(NativePassword.parseStoredHash("")).isEmpty();
    }

    @Test
    void aClientsTokenRevealsSha1OfThePasswordAndNothingElse() {
        byte[] scramble = NativePassword.newScramble();
        byte[] token = NativePassword.token(scramble, PASSWORD);
        assertThat(NativePassword.verify(scramble, token, storedHash(PASSWORD)))
                .isEqualTo(NativePassword.sha1(PASSWORD));
    }

    @Test
    void aWrongPasswordOrAnotherScrambleIsRejected() {
        byte[] scramble = NativePassword.newScramble();
        byte[] stored = storedHash(PASSWORD);
        assertThat(NativePassword.verify(scramble, NativePassword.token(scramble, "nope".getBytes()), stored)).isNull();
        assertThat(NativePassword.verify(NativePassword.newScramble(), NativePassword.token(scramble, PASSWORD), stored))
                .isNull();
        assertThat(NativePassword.verify(scramble, new byte[0], stored)).isNull();
        assertThat(NativePassword.verify(scramble, new byte[5], stored)).isNull();
    }

    @Test
    void anAccountWithoutPasswordAcceptsOnlyAnEmptyToken() {
        byte[] scramble = NativePassword.newScramble();
        assertThat(NativePassword.verify(scramble, new byte[0], new byte[0])).isEmpty();
        assertThat(NativePassword.verify(scramble, NativePassword.token(scramble, PASSWORD), new byte[0])).isNull();
    }

    @Test
    void theTokenForAnotherScrambleIsComputedFromSha1OfThePasswordAlone() {
        byte[] backendScramble = NativePassword.newScramble();
        assertThat(NativePassword.tokenFromH1(backendScramble, NativePassword.sha1(PASSWORD)))
                .isEqualTo(NativePassword.token(backendScramble, PASSWORD));
    }

    @Test
    void scramblesArePrintableAndNeverNul() {
        for (int i = 0; i < 100; i++) {
            for (byte b : NativePassword.newScramble()) {
                assertThat(b).isBetween((byte) 33, (byte) 126);
            }
        }
    }
}
