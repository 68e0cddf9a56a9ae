package dev.sluice.server.auth;

import dev.sluice.api.auth.Account;
import java.util.Set;

/**
 * One row of the cluster's account table, as needed to authenticate a client the way the server would.
 *
 * @param authenticationString the account's authentication string as stored (for mysql_native_password
 *                       {@code *HEX} of SHA1(SHA1(password)), empty for an account without password)
 * @param plugin         the account's authentication plugin ({@code mysql_native_password} when the row has none)
 * @param globalDbAccess whether a global privilege gives access to every database
 * @param roles          roles granted to the account (their database grants count too)
 * @param defaultRole    the role enabled at login, or empty
 */
public record UserAccount(String user, String host, HostPattern hostPattern, String authenticationString, String plugin,
                          boolean globalDbAccess, boolean requiresTls, boolean isRole, Set<String> roles,
                          String defaultRole) {

    /** The account as authenticator modules see it. */
    public Account asAccount() {
        return new Account(user, host, plugin, authenticationString);
    }
}
