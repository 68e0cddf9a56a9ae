package dev.sluice.modules.readwritesplit;

import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns a routing decision into a connection of the session: the replica a read goes to (among the connected
 * ones and those it may still open, by {@link ReplicaSelector}), the primary (opening one with
 * master_reconnection), a named server, the last one used. Opening a connection is decided here; the
 * connection itself is made by the session. Confined to the session's worker.
 */
final class BackendSelection {
    private final ReadWriteSplitSession owner;
    private final ReadWriteSplit router;
    private final ReadWriteSplitConfig config;

    BackendSelection(ReadWriteSplitSession owner) {
        this.owner = owner;
        this.router = owner.router;
        this.config = owner.config;
    }

    /**
     * Whether new writes and new transactions may start on a server: it is the Master and not read-only. A Master
     * published with {@code readOnly} is being drained by a switchover (mariadbmon keeps the Master role on the old
     * primary while its open transactions finish, and marks it read-only): transactions already running on it go
     * on there — they can commit — while new ones wait (delayed_retry) for the new primary. Waiting instead of
     * starting there keeps them from being cut by read_only and replayed elsewhere on changed data.
     */
    static boolean acceptsNewWrites(ServerStatus status) {
        return status.isMaster() && !status.readOnly();
    }

    /** The usable Master that accepts new writes with the best rank, or null. */
    Server findPrimaryServer() {
        Server best = null;
        for (Server s : owner.session.servers()) {
            if (acceptsNewWrites(s.status()) && s.status().isUsable() && (best == null || s.rank() < best.rank())) {
                best = s;
            }
        }
        return best;
    }

    /** The connection for the request's decision, possibly one still opening; null when there is none. */
    Backend resolve(Request r) {
        RoutingDecision d = r.decision;
        Predicate<Backend> hasStatement = r.statement == null ? b -> true
                : b -> b.state != Backend.State.READY || r.statement.backendIds.containsKey(b);
        TransactionState trx = owner.trx;
        switch (d.target()) {
            case REPLICA -> {
                if (r.optimisticStart || owner.optimistic.backend != null) {
                    Backend b = owner.optimistic.resolve(r);
                    return b != null ? b : r.optimisticStart ? primaryBackend() : null;
                }
                if (trx.readOnlyTransaction() && owner.readOnlyTrxBackend != null) {
                    Backend pinned = owner.readOnlyTrxBackend;
                    return pinned.state == Backend.State.CLOSED ? null : pinned;
                }
                Backend primary = owner.primary;
                if (r.causalToPrimary && primary != null && primary.state != Backend.State.CLOSED) {
                    return primary;
                }
                Backend b = chooseReadBackend(r.excluded, hasStatement.and(owner.causal.caughtUp(r)).and(r::lagAllows),
                        true);
                if (b != null) {
                    if (trx.readOnlyTransaction()) {
                        owner.readOnlyTrxBackend = b;
                    }
                    return b;
                }
                if (trx.readOnlyTransaction()) {
                    return null;
                }
                return primaryBackend();
            }
            case LAST_USED -> {
                Backend last = owner.lastUsed;
                return last != null && last.ready() ? last : primaryBackend();
            }
            case NAMED_SERVER -> {
                for (Server s : owner.session.servers()) {
                    if (s.name().equals(d.serverName())) {
                        Backend b = owner.byServer(s);
                        if (b != null && b.state != Backend.State.CLOSED) {
                            return b;
                        }
                        if (s.status().isUsable() && owner.backoff.mayOpen(s)) {
                            return owner.connect(s, false);
                        }
                    }
                }
                return primaryBackend();
            }
            default -> {
                return primaryBackend();
            }
        }
    }

    /** The primary connection for a request; see {@link #primaryBackend(boolean)}. */
    Backend primaryBackend() {
        return primaryBackend(false);
    }

    /**
     * The primary connection. With master_reconnection, when the session has none (even inside a transaction that
     * has done nothing on a primary yet), or the monitor no longer calls its server the primary (or it is being
     * drained) and no transaction is open or the statement routed is the one opening it, the monitor's current
     * primary: a replica connection to
     * that server is promoted, otherwise a new connection is opened (it replays the session command history
     * first). Null when there is no primary to use now.
     *
     * @param replaying for transaction_replay: a new primary may be taken although a transaction is open
     */
    Backend primaryBackend(boolean replaying) {
        Backend primary = owner.primary;
        if (primary != null && primary.state != Backend.State.CLOSED) {
            // a live primary connection is left only outside transactions: what an open one did is on it
            boolean mayChange = config.masterReconnection()
                    && (replaying || !owner.trx.open() || owner.trx.openedByStatement());
            if (!mayChange || acceptsNewWrites(primary.server.status())) {
                return primary;
            }
            // the monitor no longer calls this server the primary (switchover, failover, or it is down)
            if (findPrimaryServer() == null) {
                return config.delayedRetry() ? null : primary;
            }
            if (keepsTemporaryTables()) {
                return primary; // strict_tmp_tables: the tables are there; the statement fails there if it must
            }
            owner.discard(primary);
        }
        // No live primary connection. A session still open without one has no transaction work on a lost
        // primary (losing the primary mid-transaction closes the session unless the transaction is replayed), so
        // a new primary may be taken even inside a transaction that has only begun (autocommit=0, BEGIN queued).
        if (!config.masterReconnection() || keepsTemporaryTables()) {
            return null;
        }
        Server s = findPrimaryServer();
        if (s == null || !owner.backoff.mayOpenPrimary(s) || owner.backoff.heldAsReadOnly(s)) {
            return null;
        }
        Backend existing = owner.byServer(s);
        if (existing != null) {
            // a replica connection to the server that became the primary: it has the session's state already
            existing.primary = true;
            owner.primary = existing;
            if (existing == owner.readOnlyTrxBackend) {
                owner.readOnlyTrxBackend = null;
            }
            return existing;
        }
        return owner.connect(s, true);
    }

    /** strict_tmp_tables: a session with temporary tables never moves to a primary that does not have them. */
    private boolean keepsTemporaryTables() {
        return config.strictTmpTables() && owner.state.hasTemporaryTables();
    }

    /**
     * The connection for a read: among usable replicas (connected, or connectable within
     * max_slave_connections) and the primary with master_accept_reads, by slave_selection_criteria.
     *
     * @param open whether a new connection may be opened (false for explain)
     */
    Backend chooseReadBackend(List<Backend> excluded, Predicate<Backend> usable, boolean open) {
        List<Server> candidates = new ArrayList<>();
        int replicaConnections = 0;
        for (Backend b : owner.backends) {
            if (!b.primary) {
                replicaConnections++;
            }
            if (b.state != Backend.State.READY || excluded.contains(b) || !usable.test(b)) {
                continue;
            }
            if (b.primary ? config.masterAcceptReads() && b.server.status().isUsable()
                    : b.server.status().isSlave() && router.selector().readable(b.server.status())) {
                candidates.add(b.server);
            }
        }
        if (replicaConnections < config.maxSlaveConnections()) {
            for (Server s : owner.session.servers()) {
                if (owner.byServer(s) == null && s.status().isSlave() && router.selector().readable(s.status())
                        && owner.backoff.mayOpen(s) && !isExcluded(excluded, s) && usable.test(new Backend(s, false))) {
                    candidates.add(s);
                }
            }
        }
        Server chosen = router.selector().select(candidates, router::stats);
        if (chosen == null) {
            return null;
        }
        Backend b = owner.byServer(chosen);
        if (b != null) {
            return b;
        }
        return open ? owner.connect(chosen, false) : new Backend(chosen, false);
    }

    private static boolean isExcluded(List<Backend> excluded, Server s) {
        for (Backend b : excluded) {
            if (b.server == s) {
                return true;
            }
        }
        return false;
    }
}
