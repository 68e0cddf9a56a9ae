package dev.sluice.server.core;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The registry of one kind of runtime object by name, in creation order. Readers on any thread see an
 * immutable snapshot (a volatile reference); writers (the thread applying configuration changes, under the
 * server's lock) copy, change and publish. Iterating never throws and never sees half a change. Objects are
 * few and changes rare, so copying is cheap.
 */
public final class CopyOnWriteMap<V> extends AbstractMap<String, V> {
    private volatile Map<String, V> current = Map.of();

    @Override
    public Set<Entry<String, V>> entrySet() {
        return current.entrySet();
    }

    @Override
    public V get(Object key) {
        return current.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return current.containsKey(key);
    }

    @Override
    public int size() {
        return current.size();
    }

    @Override
    public synchronized V put(String key, V value) {
        Map<String, V> copy = new LinkedHashMap<>(current);
        V old = copy.put(key, value);
        current = Collections.unmodifiableMap(copy);
        return old;
    }

    @Override
    public synchronized V remove(Object key) {
        if (!current.containsKey(key)) {
            return null;
        }
        Map<String, V> copy = new LinkedHashMap<>(current);
        V old = copy.remove(key);
        current = Collections.unmodifiableMap(copy);
        return old;
    }

    @Override
    public synchronized void clear() {
        current = Map.of();
    }
}
