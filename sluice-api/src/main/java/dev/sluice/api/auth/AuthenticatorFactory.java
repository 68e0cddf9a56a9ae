package dev.sluice.api.auth;

import java.util.Map;

/** The factory of an authenticator module ({@code authenticator=NAME} in a listener section). */
@FunctionalInterface
public interface AuthenticatorFactory {
    /**
     * Creates the authenticator of one listener.
     *
     * @param options the listener's {@code authenticator_options} ({@code key=value} pairs)
     * @throws IllegalArgumentException for an option the module does not know or a value it cannot use: loading
     *                                  refuses the listener with the message
     */
    Authenticator create(Map<String, String> options);
}
