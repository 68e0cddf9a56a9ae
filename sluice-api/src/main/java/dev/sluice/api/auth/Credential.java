package dev.sluice.api.auth;

/**
 * What a successful client login leaves for the backend logins of the session (for mysql_native_password:
 * SHA1(password), from which a token for any server scramble can be computed). Opaque to the core; only the
 * authenticator that made it reads it. Immutable.
 */
public interface Credential {
}
