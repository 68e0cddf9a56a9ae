package dev.sluice.server.auth;

import dev.sluice.api.server.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one service's {@link UserAccounts} current. Loads on start and again on demand when a login fails,
 * at most once per {@code users_refresh_time}, so a user created a second ago can log in without letting
 * a client hammer the backends with reloads. Thread-safe: the snapshot is a volatile reference written by
 * the blocking executor; the in-flight load is guarded by this object's monitor.
 */
public final class UserAccountManager {
    private static final Logger log = LoggerFactory.getLogger(UserAccountManager.class);

    private final String serviceName;
    private final UserAccountLoader loader;
    private final Supplier<List<Server>> servers;
    private final Executor blocking;
    private final Duration minInterval;
    private volatile UserAccounts current = UserAccounts.EMPTY;
    private CompletableFuture<UserAccounts> inFlight;
    private long lastLoadStartNanos;
    private boolean everLoaded;

    public UserAccountManager(String serviceName, UserAccountLoader loader, Supplier<List<Server>> servers,
                              Executor blocking, Duration minInterval) {
        this.serviceName = serviceName;
        this.loader = loader;
        this.servers = servers;
        this.blocking = blocking;
        this.minInterval = minInterval;
    }

    public UserAccounts current() {
        return current;
    }

    /**
     * Starts a reload unless one ran within the refresh interval (the first load is never throttled).
     * Completes with the newest snapshot either way; never completes exceptionally.
     */
    public synchronized CompletableFuture<UserAccounts> refresh(boolean force) {
        if (inFlight != null) {
            return inFlight;
        }
        long now = System.nanoTime();
        if (!force && everLoaded && now - lastLoadStartNanos < minInterval.toNanos()) {
            return CompletableFuture.completedFuture(current);
        }
        lastLoadStartNanos = now;
        CompletableFuture<UserAccounts> f = CompletableFuture.supplyAsync(this::loadFromAnyServer, blocking);
        inFlight = f;
        f.whenComplete((r, e) -> {
            synchronized (this) {
                inFlight = null;
            }
        });
        return f;
    }

    private UserAccounts loadFromAnyServer() {
        List<Server> ordered = new ArrayList<>();
        for (Server s : servers.get()) {
            if (s.status().isMaster()) {
                ordered.add(0, s);
            } else if (s.status().isRunning()) {
                ordered.add(s);
            }
        }
        for (Server s : servers.get()) {
            if (!ordered.contains(s)) {
                ordered.add(s);
            }
        }
        StringBuilder errors = new StringBuilder();
        for (Server s : ordered) {
            try {
                UserAccounts loaded = loader.load(s);
                current = loaded;
                synchronized (this) {
                    everLoaded = true;
                }
                log.info("Service '{}': loaded {} user accounts from server '{}'", serviceName, loaded.size(),
                        s.name());
                return loaded;
            } catch (Exception e) {
                errors.append(s.name()).append(": ").append(e.getMessage()).append("; ");
            }
        }
        log.warn("Service '{}': could not load user accounts from any server: {}", serviceName, errors);
        return current;
    }
}
