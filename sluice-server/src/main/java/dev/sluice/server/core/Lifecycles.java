package dev.sluice.server.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many runtime objects of each kind were created and how many released (their last reference dropped),
 * so tests can assert that every object was released exactly once: after a stop, {@code created == released}
 * for every kind, and {@link RefCounted} makes a second release of one object impossible. Thread-safe.
 */
public final class Lifecycles {
    /** The kinds of objects that are created and destroyed at runtime. */
    public enum Kind { SERVER, SERVICE, LISTENER, MONITOR }

    private final Map<Kind, AtomicInteger> created = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicInteger> released = new EnumMap<>(Kind.class);

    public Lifecycles() {
        for (Kind k : Kind.values()) {
            created.put(k, new AtomicInteger());
            released.put(k, new AtomicInteger());
        }
    }

    public void created(Kind kind) {
        created.get(kind).incrementAndGet();
    }

    public void released(Kind kind) {
        released.get(kind).incrementAndGet();
    }

    public int createdCount(Kind kind) {
        return created.get(kind).get();
    }

    public int releasedCount(Kind kind) {
        return released.get(kind).get();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Kind k : Kind.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(k.name().toLowerCase(java.util.Locale.ROOT))
                    .append(' ').append(createdCount(k)).append('/').append(releasedCount(k));
        }
        return sb.append(" (created/released)").toString();
    }
}
