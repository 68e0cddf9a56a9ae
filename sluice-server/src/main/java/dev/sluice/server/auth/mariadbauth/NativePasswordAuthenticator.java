package dev.sluice.server.auth.mariadbauth;

import dev.sluice.api.auth.Account;
import dev.sluice.api.auth.Authenticator;
import dev.sluice.api.auth.Credential;
import dev.sluice.protocol.auth.NativePassword;

/**
 * mysql_native_password: the client proves it knows the password by answering the scramble with
 * SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))); checking the answer against the stored
 * SHA1(SHA1(password)) recovers SHA1(password), from which Sluice answers any server's scramble in turn.
 * Stateless, shared by the workers.
 */
final class NativePasswordAuthenticator implements Authenticator {

    /** SHA1(password), recovered from a client's answer. */
    private record PasswordSha1(byte[] h1) implements Credential {
    }

    @Override
    public String clientPlugin() {
        return NativePassword.PLUGIN;
    }

    @Override
    public boolean handles(String accountPlugin) {
        return accountPlugin.isEmpty() || accountPlugin.equals(NativePassword.PLUGIN);
    }

    @Override
    public byte[] newChallenge() {
        return NativePassword.newScramble();
    }

    @Override
    public Credential verify(byte[] challenge, byte[] clientToken, Account account) {
        if (!handles(account.plugin())) {
            return null;
        }
        byte[] stored;
        try {
            stored = NativePassword.parseStoredHash(account.authenticationString());
        } catch (IllegalArgumentException e) {
            return null; // an authentication string this plugin cannot have written
        }
        byte[] h1 = NativePassword.verify(challenge, clientToken, stored);
        return h1 == null ? null : new PasswordSha1(h1);
    }

    @Override
    public String backendPlugin() {
        return NativePassword.PLUGIN;
    }

    @Override
    public byte[] backendToken(byte[] serverScramble, Credential credential) {
        if (!(credential instanceof PasswordSha1 p)) {
            return null;
        }
        return NativePassword.tokenFromH1(serverScramble, p.h1());
    }
}
