package dev.sluice.server.session;

import dev.sluice.api.auth.Authenticator;
import dev.sluice.api.auth.Credential;

/**
 * How a backend connection logs in on a client's behalf.
 *
 * @param authenticator the authenticator that checked the client: it answers the servers' scrambles
 * @param credential    what it learned from the client's login (for mysql_native_password, SHA1(password))
 * @param capabilities  the client's capability flags (format-relevant ones are copied to the backend)
 * @param connectAttributes the client's raw connection attributes block, forwarded as is
 */
public record LoginRequest(String user, Authenticator authenticator, Credential credential, String database,
                           int collation, long capabilities, byte[] connectAttributes) {

    /** The token answering a server's scramble, or null when the authenticator cannot make one. */
    byte[] backendToken(byte[] serverScramble) {
        return authenticator.backendToken(serverScramble, credential);
    }

    LoginRequest withCapabilities(long newCapabilities) {
        return new LoginRequest(user, authenticator, credential, database, collation, newCapabilities,
                connectAttributes);
    }
}
