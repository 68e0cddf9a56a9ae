package dev.sluice.server.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A complete, validated configuration: the immutable snapshot the runtime is built from. The maps keep the
 * order in which the objects appear in the files and are unmodifiable.
 */
public record SluiceConfig(GlobalConfig global, Map<String, ServerConfig> servers,
                           Map<String, ServiceConfig> services, Map<String, ListenerConfig> listeners,
                           Map<String, MonitorConfig> monitors, Map<String, FilterConfig> filters) {
    public SluiceConfig {
        Objects.requireNonNull(global, "global");
        servers = ordered(servers);
        services = ordered(services);
        listeners = ordered(listeners);
        monitors = ordered(monitors);
        filters = ordered(filters);
    }

    static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
