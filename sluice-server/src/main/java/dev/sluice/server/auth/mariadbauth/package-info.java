/**
 * {@code mariadbauth} (MaxScale's MariaDBAuth, alias MySQLAuth): the mysql_native_password authenticator, for
 * clients and for the backend logins made on their behalf. A module like any other (kind AUTHENTICATOR, chosen
 * with a listener's {@code authenticator=}), built into the core: {@link dev.sluice.server.config.ModuleRegistry}
 * always has it, as every listener needs one.
 */
package dev.sluice.server.auth.mariadbauth;
