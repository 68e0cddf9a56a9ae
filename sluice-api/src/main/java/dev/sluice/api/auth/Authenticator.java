package dev.sluice.api.auth;

/**
 * One authentication method, created once per listener from its module and {@code authenticator_options}.
 * Immutable and thread-safe: the workers share it.
 */
public interface Authenticator {

    /** The client-side plugin the client is asked to use (e.g. {@code mysql_native_password}). */
    String clientPlugin();

    /** Whether this authenticator checks accounts created with the server-side plugin {@code accountPlugin}. */
    boolean handles(String accountPlugin);

    /** A fresh challenge (scramble) for one connection's handshake or auth switch. */
    byte[] newChallenge();

    /**
     * Checks the client's answer to {@code challenge} against the account.
     *
     * @return what the backend logins need, or null when the answer is wrong
     */
    Credential verify(byte[] challenge, byte[] clientToken, Account account);

    /** The server-side plugin the backend logins use (the one {@link #backendToken} answers). */
    String backendPlugin();

    /**
     * The token that logs in to a server that sent {@code serverScramble}, from a credential this authenticator
     * made; null when it cannot.
     */
    byte[] backendToken(byte[] serverScramble, Credential credential);
}
