package dev.sluice.server.config;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.auth.Authenticator;
import java.util.List;
import java.util.Objects;

/**
 * A {@code type=listener} section: the service it feeds, values of {@link ListenerParams#SPEC}, and the
 * authenticators its {@code authenticator=} names, made by their modules (tried in that order).
 */
public record ListenerConfig(String name, String service, ParamValues values, List<Authenticator> authenticators) {
    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(values, "values");
        authenticators = List.copyOf(authenticators);
    }
}
