package dev.sluice.server.auth;

import java.util.Set;

/**
 * One row of the cluster's account table, as needed to authenticate a client the way the server would.
 *
 * @param passwordHash   H2 = SHA1(SHA1(password)), empty for an account without password
 * @param plugin         the account's authentication plugin
 * @param globalDbAccess whether a global privilege gives access to every database
 * @param roles          roles granted to the account (their database grants count too)
 * @param defaultRole    the role enabled at login, or empty
 */
public record UserAccount(String user, String host, HostPattern hostPattern, byte[] passwordHash, String plugin,
                          boolean globalDbAccess, boolean requiresTls, boolean isRole, Set<String> roles,
                          String defaultRole) {
}
