package dev.sluice.server.config;

import dev.sluice.api.Module;
import dev.sluice.api.config.ParamValues;
import java.util.Objects;

/** A {@code type=filter} section: values of {@link FilterParams#SPEC} plus the filter module's spec. */
public record FilterConfig(String name, Module module, ParamValues values) {
    public FilterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(values, "values");
    }
}
