package dev.sluice.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns the parsed sections of all files into typed sections: finds the {@code [maxscale]} section, rejects
 * duplicate names and missing or unknown types, and merges {@code @include} sections into the sections that
 * name them.
 */
final class SectionResolver {
    static final String TYPE = "type";
    static final String INCLUDE = "@include";

    private final Consumer<ConfigProblem> problems;
    private IniSection global;
    private final List<ResolvedSection> resolved = new ArrayList<>();

    SectionResolver(List<IniSection> sections, Consumer<ConfigProblem> problems) {
        this.problems = problems;
        Map<String, IniSection> byName = unique(sections);
        Map<String, IniSection> includes = new LinkedHashMap<>();
        Map<IniSection, SectionType> types = new LinkedHashMap<>();
        for (IniSection s : byName.values()) {
            if (s.isGlobal()) {
                continue;
            }
            typeOf(s).ifPresent(t -> {
                types.put(s, t);
                if (t == SectionType.INCLUDE) {
                    includes.put(s.name(), s);
                }
            });
        }
        types.forEach((section, type) -> {
            if (type == SectionType.INCLUDE) {
                IniEntry nested = section.entry(INCLUDE);
                if (nested != null) {
                    problems.accept(section.problem(nested, "an include section cannot itself use @include"));
                }
            } else {
                resolved.add(new ResolvedSection(section, type, merge(section, includes)));
            }
        });
    }

    /** The {@code [maxscale]} section, if there is one. */
    Optional<IniSection> global() {
        return Optional.ofNullable(global);
    }

    /** Every typed section except include sections, in file order. */
    List<ResolvedSection> sections() {
        return resolved;
    }

    private Map<String, IniSection> unique(List<IniSection> sections) {
        Map<String, IniSection> byName = new LinkedHashMap<>();
        for (IniSection s : sections) {
            if (s.isGlobal()) {
                if (!s.inMainFile()) {
                    problems.accept(s.problem((String) null, "the [maxscale] section must be in the main configuration file"));
                } else if (global != null) {
                    problems.accept(s.problem((String) null, "duplicate section (first defined at " + global.file() + ":"
                            + global.line() + ")"));
                } else {
                    global = s;
                }
                continue;
            }
            IniSection first = byName.putIfAbsent(s.name(), s);
            if (first != null) {
                problems.accept(s.problem((String) null, "duplicate section (first defined at " + first.file() + ":"
                        + first.line() + ")"));
            }
        }
        return byName;
    }

    private Optional<SectionType> typeOf(IniSection s) {
        IniEntry type = s.entry(TYPE);
        if (type == null) {
            problems.accept(s.problem(TYPE, "missing section type (expected: " + SectionType.EXPECTED + ")"));
            return Optional.empty();
        }
        Optional<SectionType> parsed = SectionType.parse(type.value());
        if (parsed.isEmpty()) {
            problems.accept(s.problem(type, "unknown section type '" + type.value() + "' (expected: "
                    + SectionType.EXPECTED + ")"));
        }
        return parsed;
    }

    private Map<String, IniEntry> merge(IniSection section, Map<String, IniSection> includes) {
        Map<String, IniEntry> merged = new LinkedHashMap<>();
        IniEntry include = section.entry(INCLUDE);
        if (include != null) {
            for (String name : include.value().split(",")) {
                String trimmed = name.strip();
                IniSection source = includes.get(trimmed);
                if (source == null) {
                    problems.accept(section.problem(include, "'" + trimmed + "' is not a type=include section"
                            + Suggestion.didYouMean(trimmed, includes.keySet())));
                    continue;
                }
                source.entries().forEach((key, entry) -> {
                    if (!key.equals(TYPE)) {
                        merged.put(key, entry);
                    }
                });
            }
        }
        section.entries().forEach((key, entry) -> {
            if (!key.equals(TYPE) && !key.equals(INCLUDE)) {
                merged.remove(key);
                merged.put(key, entry);
            }
        });
        return merged;
    }
}
