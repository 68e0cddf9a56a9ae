package dev.sluice.server.config;

import dev.sluice.api.config.ParamValues;
import java.util.Objects;

/** The {@code [maxscale]} section: values of {@link GlobalParams#SPEC}. */
public record GlobalConfig(ParamValues values) {
    public GlobalConfig {
        Objects.requireNonNull(values, "values");
    }
}
