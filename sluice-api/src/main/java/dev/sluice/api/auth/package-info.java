/**
 * The authenticator plugin API (MaxScale's authenticator modules). A listener's {@code authenticator=} names
 * one or more modules of kind {@link dev.sluice.api.ModuleKind#AUTHENTICATOR}; each gives an
 * {@link dev.sluice.api.auth.Authenticator}: the client side checks a client's login against the account the
 * cluster has for it, and the backend side logs in to the servers on the client's behalf with what the client
 * side learned ({@link dev.sluice.api.auth.Credential}), without Sluice ever knowing the password.
 */
package dev.sluice.api.auth;
