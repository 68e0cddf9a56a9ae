package dev.sluice.classifier;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An insertion-ordered list of distinct names. Allocates nothing until the first name (most statements name no
 * database and no function); small lists check duplicates by scanning, and a hash set takes over past a few
 * entries so that a statement naming thousands of tables stays linear. Not thread-safe.
 */
final class NameList {
    private static final int SCAN_LIMIT = 8;

    private List<String> names;
    private Set<String> index;

    void add(String name) {
        if (names == null) {
            names = new ArrayList<>(4);
        } else if (index != null) {
            if (index.add(name)) {
                names.add(name);
            }
            return;
        } else if (names.contains(name)) {
            return;
        }
        names.add(name);
        if (names.size() > SCAN_LIMIT) {
            index = new HashSet<>(names);
        }
    }

    boolean contains(String name) {
        if (names == null) {
            return false;
        }
        return index != null ? index.contains(name) : names.contains(name);
    }

    boolean isEmpty() {
        return names == null;
    }

    List<String> list() {
        return names == null ? List.of() : names;
    }
}
