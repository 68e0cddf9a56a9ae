package dev.sluice.server.session;

import dev.sluice.api.query.QueryClassifier;
import dev.sluice.classifier.MariaDbQueryClassifier;
import dev.sluice.server.net.Transport;
import io.netty.channel.EventLoop;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The per-event-loop state of one routing worker: its backend connection pool and its live sessions. Every
 * field is confined to the worker's event loop; other threads reach it only by submitting tasks to
 * {@link #eventLoop()}.
 */
public final class Worker {
    private final int index;
    private final EventLoop eventLoop;
    private final Transport transport;
    private final BackendPool pool;
    private final long classifierCacheBytes;
    // event-loop confined, created on first use so that plain connection routers pay nothing for it
    private QueryClassifier classifier;
    // event-loop confined
    private final Set<ClientSession> sessions = new LinkedHashSet<>();

    public Worker(int index, EventLoop eventLoop, Transport transport, long classifierCacheBytes, int workerCount) {
        this.index = index;
        this.classifierCacheBytes = classifierCacheBytes;
        this.eventLoop = eventLoop;
        this.transport = transport;
        this.pool = new BackendPool(this, workerCount);
        eventLoop.scheduleAtFixedRate(this::housekeeping, 1, 1, TimeUnit.SECONDS);
    }

    public int index() {
        return index;
    }

    public EventLoop eventLoop() {
        return eventLoop;
    }

    public Transport transport() {
        return transport;
    }

    /** This worker's classifier; call on the worker only. */
    public QueryClassifier classifier() {
        if (classifier == null) {
            classifier = MariaDbQueryClassifier.forWorker(classifierCacheBytes);
        }
        return classifier;
    }

    Workers workers;

    public BackendPool pool() {
        return pool;
    }

    /** Once a second on the worker: expire pooled connections, keep idle sessions' backends alive. */
    private void housekeeping() {
        pool.evictExpired();
        long now = System.currentTimeMillis();
        for (ClientSession s : sessions.toArray(new ClientSession[0])) {
            s.keepaliveTick(now);
        }
    }

    void add(ClientSession s) {
        sessions.add(s);
    }

    void remove(ClientSession s) {
        sessions.remove(s);
    }

    /** The live sessions of this worker; call on the worker only. */
    public Set<ClientSession> sessions() {
        return Collections.unmodifiableSet(sessions);
    }
}
