package dev.sluice.server.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lifecycle rule of ARCHITECTURE.md for objects that sessions use while an operator may destroy them.
 * The registry holds one reference from creation; each user takes one with {@link #tryRetain()} and drops it
 * with {@link #release()}. Whoever drops the last reference runs {@link #deallocate()}, exactly once.
 *
 * <p>Invariants: the count decides who releases, never state read after the decrement; once the count has
 * reached zero {@link #tryRetain()} fails forever, so a lookup racing with destroy cannot revive a released
 * object. The decrement is a volatile read-modify-write (acquire-release), so everything the other holders
 * wrote happens-before {@code deallocate()}.
 */
public abstract class RefCounted {
    private final AtomicInteger refs = new AtomicInteger(1);

    /** Takes a reference unless the object is already released; true on success. */
    public final boolean tryRetain() {
        for (;;) {
            int n = refs.get();
            if (n <= 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the caller that drops the last one deallocates. Returns true for that caller. */
    public final boolean release() {
        int n = refs.decrementAndGet();
        if (n == 0) {
            deallocate();
            return true;
        }
        if (n < 0) {
            throw new IllegalStateException(getClass().getSimpleName() + ": released more often than retained");
        }
        return false;
    }

    public final int refCount() {
        return refs.get();
    }

    /** Frees resources (pools, sockets, timers). Called exactly once, by the thread that dropped the last reference. */
    protected abstract void deallocate();
}
