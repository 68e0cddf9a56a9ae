package dev.sluice.classifier;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An insertion-ordered list of distinct names. Small lists check duplicates by scanning; a hash set takes over
 * past a few entries so that a statement naming thousands of tables stays linear. Not thread-safe.
 */
final class NameList {
    private static final int SCAN_LIMIT = 8;

    private final List<String> names = new ArrayList<>(4);
    private Set<String> index;

    void add(String name) {
        if (index != null) {
            if (index.add(name)) {
                names.add(name);
            }
            return;
        }
        if (names.contains(name)) {
            return;
        }
        names.add(name);
        if (names.size() > SCAN_LIMIT) {
            index = new HashSet<>(names);
        }
    }

    boolean contains(String name) {
        return index != null ? index.contains(name) : names.contains(name);
    }

    boolean isEmpty() {
        return names.isEmpty();
    }

    List<String> list() {
        return names;
    }
}
