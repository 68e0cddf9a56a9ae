package dev.sluice.modules.readwritesplit;

import dev.sluice.api.server.Server;
import java.util.HashMap;
import java.util.Map;

/**
 * Which servers a session keeps away from for a while: one whose connection it lost (not reconnected for 5 s,
 * or, for a primary awaited by delayed_retry, the retry interval) and a primary that rejected a write as
 * read-only (not used as the primary for 1 s, see {@link #heldAsReadOnly}). Confined to the session's worker.
 */
final class ServerBackoff {
    private static final long RECONNECT_BACKOFF_NANOS = 5_000_000_000L;
    /**
     * How long a primary that rejected a write as read-only is not used as the primary (unless the monitor names
     * no other): long enough for the monitor to publish the switchover's new primary.
     */
    private static final long READ_ONLY_HOLD_NANOS = 1_000_000_000L;

    private final ReadWriteSplitSession owner;
    private final Map<String, Long> failedAtNanos = new HashMap<>();
    /** The primary server that last rejected a write as read-only, and when. */
    private Server readOnlyPrimary;
    private long readOnlySinceNanos;

    ServerBackoff(ReadWriteSplitSession owner) {
        this.owner = owner;
    }

    /** A connection to {@code server} was lost or closed. */
    void lost(Server server) {
        failedAtNanos.put(server.name(), System.nanoTime());
    }

    /** Whether the session may open another connection: it must be able to catch up with the history. */
    boolean mayOpen(Server server) {
        Long failed = failedAtNanos.get(server.name());
        return !owner.closed && owner.history.intact()
                && (failed == null || System.nanoTime() - failed > RECONNECT_BACKOFF_NANOS);
    }

    /**
     * Whether the session may connect to a new primary: as {@link #mayOpen}, but when delayed_retry waits for the
     * primary the back-off after a failure is only the retry interval (the monitor may not have noticed yet that
     * the server is down, or it is starting up).
     */
    boolean mayOpenPrimary(Server server) {
        if (!owner.config.delayedRetry()) {
            return mayOpen(server);
        }
        Long failed = failedAtNanos.get(server.name());
        return !owner.closed && owner.history.intact()
                && (failed == null || System.nanoTime() - failed >= DelayedRetry.RETRY_INTERVAL_MILLIS * 1_000_000);
    }

    /** {@code server}, still the primary, rejected a write as read-only (it is being demoted). */
    void markReadOnly(Server server) {
        readOnlyPrimary = server;
        readOnlySinceNanos = System.nanoTime();
    }

    /**
     * Whether {@code server} rejected a write as read-only less than {@link #READ_ONLY_HOLD_NANOS} ago: writes wait
     * for the monitor to name the new primary rather than going back to it (after that, it may be writable
     * again).
     */
    boolean heldAsReadOnly(Server server) {
        return server == readOnlyPrimary && System.nanoTime() - readOnlySinceNanos < READ_ONLY_HOLD_NANOS;
    }
}
