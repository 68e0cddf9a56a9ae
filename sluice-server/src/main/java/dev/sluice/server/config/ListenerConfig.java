package dev.sluice.server.config;

import dev.sluice.api.config.ParamValues;
import java.util.Objects;

/** A {@code type=listener} section: the service it feeds and values of {@link ListenerParams#SPEC}. */
public record ListenerConfig(String name, String service, ParamValues values) {
    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(values, "values");
    }
}
