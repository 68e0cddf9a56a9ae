package dev.sluice.server.session;

/**
 * How a backend connection logs in on a client's behalf.
 *
 * @param passwordSha1  H1 = SHA1(password) recovered from the client's token; empty for no password
 * @param capabilities  the client's capability flags (format-relevant ones are copied to the backend)
 * @param connectAttributes the client's raw connection attributes block, forwarded as is
 */
public record LoginRequest(String user, byte[] passwordSha1, String database, int collation, long capabilities,
                           byte[] connectAttributes) {
}
