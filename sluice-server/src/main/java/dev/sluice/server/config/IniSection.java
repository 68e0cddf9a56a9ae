package dev.sluice.server.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code [name]} section as written, before its type is known: entries in file order, keyed by the key
 * as written. Built by {@link IniParser}, read-only afterwards.
 */
final class IniSection {
    private final String name;
    private final String file;
    private final int line;
    private final boolean inMainFile;
    private final Map<String, IniEntry> entries = new LinkedHashMap<>();

    IniSection(String name, String file, int line, boolean inMainFile) {
        this.name = name;
        this.file = file;
        this.line = line;
        this.inMainFile = inMainFile;
    }

    String name() {
        return name;
    }

    String file() {
        return file;
    }

    int line() {
        return line;
    }

    boolean inMainFile() {
        return inMainFile;
    }

    boolean isGlobal() {
        return name.equalsIgnoreCase("maxscale");
    }

    Map<String, IniEntry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    IniEntry entry(String key) {
        return entries.get(key);
    }

    /** Adds an entry; returns the earlier entry with the same key instead when there is one. */
    IniEntry put(IniEntry entry) {
        return entries.putIfAbsent(entry.key(), entry);
    }

    void replace(IniEntry entry) {
        entries.put(entry.key(), entry);
    }

    /** A problem located at this section's header line. */
    ConfigProblem problem(String key, String message) {
        return new ConfigProblem(file, line, name, key, message);
    }

    /** A problem located at one of this section's entries. */
    ConfigProblem problem(IniEntry entry, String message) {
        return new ConfigProblem(entry.file(), entry.line(), name, entry.key(), message);
    }
}
