package dev.sluice.server.config;

import java.util.Map;

/**
 * A typed section with its {@code @include}d parameters merged in (its own values win). {@code entries}
 * excludes {@code type} and {@code @include}; each entry keeps the file and line it was written on, which may
 * be inside an include section.
 */
record ResolvedSection(IniSection header, SectionType type, Map<String, IniEntry> entries) {
    String name() {
        return header.name();
    }

    IniEntry entry(String key) {
        return entries.get(key);
    }

    ConfigProblem problem(String key, String message) {
        return header.problem(key, message);
    }

    ConfigProblem problem(IniEntry entry, String message) {
        return header.problem(entry, message);
    }
}
