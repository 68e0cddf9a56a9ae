package dev.sluice.server.session;

import dev.sluice.server.core.ServerRuntime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Idle backend connections of one worker, per server ({@code persistpoolmax} is split evenly between
 * workers, rounded up, as MaxScale does). A connection enters when its session ends with it idle and outside
 * a transaction; it leaves when a new session of the same capabilities takes it (it is then reset with
 * COM_CHANGE_USER), when it is older than {@code persistmaxtime}, or when the server closes it.
 * Confined to the worker's event loop.
 */
public final class BackendPool {
    private final Worker worker;
    private final Map<ServerRuntime, ArrayDeque<BackendConnection>> idle = new HashMap<>();
    /** Pool capacities are divided among this many workers (the size of the worker group). */
    private final int workerCount;

    BackendPool(Worker worker, int workerCount) {
        this.worker = worker;
        this.workerCount = Math.max(1, workerCount);
    }

    int capacity(ServerRuntime server) {
        int max = server.persistPoolMax();
        return max <= 0 ? 0 : (max + workerCount - 1) / workerCount;
    }

    /** Takes a reusable connection with these capabilities, or null. */
    BackendConnection take(ServerRuntime server, long capabilities) {
        ArrayDeque<BackendConnection> q = idle.get(server);
        if (q == null) {
            if (capacity(server) > 0) {
                server.statistics.connectionPoolEmpty.increment();
            }
            return null;
        }
        long maxAge = server.persistMaxTime().toNanos();
        long now = System.nanoTime();
        for (Iterator<BackendConnection> it = q.iterator(); it.hasNext();) {
            BackendConnection b = it.next();
            if (maxAge > 0 && now - b.idleSinceNanos() > maxAge) {
                it.remove();
                server.statistics.unpooled();
                b.close();
                continue;
            }
            if (b.capabilities() == capabilities) {
                it.remove();
                server.statistics.unpooled();
                b.takeFromPool();
                server.pooledReuses.increment();
                return b;
            }
        }
        server.statistics.connectionPoolEmpty.increment();
        return null;
    }

    /** Offers a connection whose session ended; returns false (and the caller closes it) when full. */
    boolean offer(BackendConnection b) {
        ServerRuntime server = (ServerRuntime) b.server();
        if (!b.isReusable() || capacity(server) == 0 || server.isDestroyed()) {
            return false;
        }
        ArrayDeque<BackendConnection> q = idle.computeIfAbsent(server, k -> new ArrayDeque<>());
        if (q.size() >= capacity(server)) {
            return false;
        }
        b.parkInPool();
        q.addFirst(b);
        server.statistics.pooled();
        return true;
    }

    void remove(BackendConnection b) {
        ArrayDeque<BackendConnection> q = idle.get((ServerRuntime) b.server());
        if (q != null && q.remove(b)) {
            ((ServerRuntime) b.server()).statistics.unpooled();
        }
    }

    void evictExpired() {
        long now = System.nanoTime();
        for (Map.Entry<ServerRuntime, ArrayDeque<BackendConnection>> e : idle.entrySet()) {
            long maxAge = e.getKey().persistMaxTime().toNanos();
            if (maxAge <= 0) {
                continue;
            }
            for (Iterator<BackendConnection> it = e.getValue().iterator(); it.hasNext();) {
                BackendConnection b = it.next();
                if (now - b.idleSinceNanos() > maxAge) {
                    it.remove();
                    e.getKey().statistics.unpooled();
                    b.close();
                }
            }
        }
    }

    /** Closes every pooled connection (shutdown, or a server being destroyed). */
    public void closeAll() {
        List<BackendConnection> all = new ArrayList<>();
        idle.values().forEach(all::addAll);
        idle.clear();
        all.forEach(b -> ((ServerRuntime) b.server()).statistics.unpooled());
        all.forEach(BackendConnection::close);
    }

    /**
     * Closes the idle connections to one server (it was destroyed; offers for it are refused from then on).
     * They hold references on the server: this is what lets it be released.
     */
    public void closeServer(ServerRuntime server) {
        ArrayDeque<BackendConnection> q = idle.remove(server);
        if (q != null) {
            q.forEach(b -> server.statistics.unpooled());
            new ArrayList<>(q).forEach(BackendConnection::close);
        }
    }

    public int size(ServerRuntime server) {
        ArrayDeque<BackendConnection> q = idle.get(server);
        return q == null ? 0 : q.size();
    }

    Worker worker() {
        return worker;
    }
}
