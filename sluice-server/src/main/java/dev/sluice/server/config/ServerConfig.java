package dev.sluice.server.config;

import dev.sluice.api.config.ParamValues;
import java.util.Objects;

/** A {@code type=server} section: values of {@link ServerParams#SPEC}. */
public record ServerConfig(String name, ParamValues values) {
    public ServerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
    }
}
