package dev.sluice.server.config;

import dev.sluice.api.Module;
import dev.sluice.api.config.ParamValues;
import java.util.List;
import java.util.Objects;

/** A {@code type=monitor} section: values of {@link MonitorParams#SPEC} plus the monitor module's spec. */
public record MonitorConfig(String name, Module module, List<String> servers, ParamValues values) {
    public MonitorConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
        servers = List.copyOf(servers);
        Objects.requireNonNull(values, "values");
    }
}
