package dev.sluice.server.config;

/** One {@code key=value} line (continuation lines already appended), with where it was written. */
record IniEntry(String key, String value, String file, int line) {
    IniEntry withValue(String newValue) {
        return new IniEntry(key, newValue, file, line);
    }
}
