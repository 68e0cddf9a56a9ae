package dev.sluice.server.session;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * All live sessions of this Sluice process by their Sluice-side connection id (the id a client sees in the
 * handshake and passes to KILL). Written by the workers that own the sessions, read by any thread.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<Long, ClientSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    /** Ids fit the handshake's 4-byte connection id field and never repeat within a process's life. */
    long nextId() {
        return nextId.getAndIncrement() & 0xffffffffL;
    }

    void add(ClientSession s) {
        sessions.put(s.sessionId(), s);
    }

    void remove(ClientSession s) {
        sessions.remove(s.sessionId(), s);
    }

    public ClientSession find(long id) {
        return sessions.get(id);
    }

    public Collection<ClientSession> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }
}
