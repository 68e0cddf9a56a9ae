package dev.sluice.server.core;

import dev.sluice.api.filter.Filter;
import dev.sluice.server.config.FilterConfig;
import dev.sluice.server.config.SluiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The filter instances of the running configuration, one per {@code type=filter} section. A filter whose module
 * or parameters change gets a new instance; services that use it then publish a snapshot with the new instance,
 * while sessions already running keep the instance they started with (MaxScale: "filter definitions are shared
 * pointers"). Instances hold no resources that need releasing, so a replaced or destroyed one is simply dropped
 * and collected once the last session using it ends. Written by the thread applying configuration changes,
 * read anywhere.
 */
public final class FilterInstances {
    private record Entry(FilterConfig config, Filter filter) {
    }

    private final Map<String, Entry> instances = new CopyOnWriteMap<>();

    /**
     * Makes the instances match {@code next}: new and changed filters are created (all of them before any is
     * published, so a factory failure changes nothing), removed ones dropped.
     *
     * @throws IllegalArgumentException from a filter factory refusing its parameters
     */
    public void update(SluiceConfig next) {
        Map<String, Entry> created = new java.util.LinkedHashMap<>();
        for (FilterConfig fc : next.filters().values()) {
            Entry current = instances.get(fc.name());
            if (current == null || current.config().module() != fc.module()
                    || !current.config().values().asMap().equals(fc.values().asMap())) {
                created.put(fc.name(), new Entry(fc, fc.newFilter()));
            }
        }
        instances.putAll(created);
        for (String name : List.copyOf(instances.keySet())) {
            if (!next.filters().containsKey(name)) {
                instances.remove(name);
            }
        }
    }

    /** The instances of {@code names}, in order; names without a filter (not possible once validated) are skipped. */
    public List<Filter> chain(List<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<Filter> out = new ArrayList<>(names.size());
        for (String n : names) {
            Entry e = instances.get(n);
            if (e != null) {
                out.add(e.filter());
            }
        }
        return out;
    }

    /** The current instance of one filter, or null. */
    public Filter get(String name) {
        Entry e = instances.get(name);
        return e == null ? null : e.filter();
    }
}
