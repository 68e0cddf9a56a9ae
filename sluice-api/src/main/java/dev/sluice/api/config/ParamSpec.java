package dev.sluice.api.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ordered, immutable set of parameters one module (or one object type) accepts. */
public final class ParamSpec {
    private final Map<String, Param<?>> byName;

    private ParamSpec(Map<String, Param<?>> byName) {
        this.byName = byName;
    }

    public static ParamSpec of(Param<?>... params) {
        return of(Arrays.asList(params));
    }

    public static ParamSpec of(List<Param<?>> params) {
        Map<String, Param<?>> map = new LinkedHashMap<>();
        for (Param<?> p : params) {
            if (map.put(p.name(), p) != null) {
                throw new IllegalArgumentException("parameter declared twice: " + p.name());
            }
        }
        return new ParamSpec(Collections.unmodifiableMap(map));
    }

    /** This spec followed by another's parameters (a router's spec on top of the generic service spec). */
    public ParamSpec plus(ParamSpec other) {
        List<Param<?>> all = new ArrayList<>(byName.values());
        for (Param<?> p : other.params()) {
            if (!byName.containsKey(p.name())) {
                all.add(p);
            }
        }
        return of(all);
    }

    public List<Param<?>> params() {
        return List.copyOf(byName.values());
    }

    public Optional<Param<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }
}
