package dev.sluice.api.auth;

import java.util.Objects;

/**
 * A database account as the cluster stores it ({@code mysql.global_priv}): the user and host pattern, the
 * authentication plugin of the account, and its authentication string (for mysql_native_password the
 * {@code *HEX} of SHA1(SHA1(password))).
 */
public record Account(String user, String host, String plugin, String authenticationString) {
    public Account {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(authenticationString, "authenticationString");
    }
}
