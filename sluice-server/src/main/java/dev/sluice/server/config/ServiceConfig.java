package dev.sluice.server.config;

import dev.sluice.api.Module;
import dev.sluice.api.config.ParamValues;
import java.util.List;
import java.util.Objects;

/**
 * A {@code type=service} section.
 *
 * @param servers the routing targets: from {@code servers=} or {@code targets=} (which may name services
 *                too), or, when {@code cluster} is set, the servers of that monitor
 * @param cluster the monitor named by {@code cluster=}, or null
 * @param filters filter names in chain order, first sees the query first
 * @param values  values of {@link ServiceParams#SPEC} plus the router module's spec
 */
public record ServiceConfig(String name, Module router, List<String> servers, String cluster, List<String> filters,
                            ParamValues values) {
    public ServiceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(router, "router");
        servers = List.copyOf(servers);
        filters = List.copyOf(filters);
        Objects.requireNonNull(values, "values");
    }
}
