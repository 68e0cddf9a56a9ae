package dev.sluice.api.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered, immutable set of parameters one module (or one object type) accepts. Lookups by name also
 * honour each parameter's {@link Param#aliases() aliases}.
 */
public final class ParamSpec {
    private final Map<String, Param<?>> byName;
    private final Map<String, Param<?>> byAlias;

    private ParamSpec(Map<String, Param<?>> byName, Map<String, Param<?>> byAlias) {
        this.byName = byName;
        this.byAlias = byAlias;
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
        Map<String, Param<?>> aliases = new LinkedHashMap<>();
        for (Param<?> p : params) {
            for (String alias : p.aliases()) {
                if (map.containsKey(alias) || aliases.put(alias, p) != null) {
                    throw new IllegalArgumentException("parameter alias declared twice: " + alias);
                }
            }
        }
        return new ParamSpec(Collections.unmodifiableMap(map), Collections.unmodifiableMap(aliases));
    }

    /** This spec followed by another's parameters (a router's spec on top of the generic service spec). */
    public ParamSpec plus(ParamSpec other) {
        List<Param<?>> all = new ArrayList<>(byName.values());
        for (Param<?> p : other.params()) {
            if (!contains(p.name()) && p.aliases().stream().noneMatch(this::contains)) {
                all.add(p);
            }
        }
        return of(all);
    }

    public List<Param<?>> params() {
        return List.copyOf(byName.values());
    }

    /** The parameter with this name or alias. */
    public Optional<Param<?>> find(String name) {
        Param<?> p = byName.get(name);
        return Optional.ofNullable(p != null ? p : byAlias.get(name));
    }

    public boolean contains(String name) {
        return byName.containsKey(name) || byAlias.containsKey(name);
    }

    /** Every name and alias this spec accepts, for "did you mean" suggestions. */
    public List<String> acceptedNames() {
        List<String> names = new ArrayList<>(byName.keySet());
        names.addAll(byAlias.keySet());
        return names;
    }
}
