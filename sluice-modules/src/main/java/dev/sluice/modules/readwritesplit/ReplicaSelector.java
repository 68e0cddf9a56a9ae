package dev.sluice.modules.readwritesplit;

import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Picks the server for a read among candidates, by {@code slave_selection_criteria}; the best rank first,
 * then the criterion, then the candidates' order. Pure logic over the load figures it is given.
 *
 * <p>least_current_operations: fewest requests in flight from this service. least_router_connections and
 * least_global_connections (approximated by this service's connections): fewest connections.
 * least_behind_master: smallest replication lag as the monitor reports it. adaptive_routing is approximated
 * by (operations in flight + 1) × the moving average reply time.
 */
final class ReplicaSelector {
    private final String criteria;
    private final Duration maxReplicationLag;

    ReplicaSelector(String criteria, Duration maxReplicationLag) {
        this.criteria = criteria;
        this.maxReplicationLag = maxReplicationLag;
    }

    /** Whether a replica's status allows reads on it: usable and not lagging max_replication_lag or more. */
    boolean readable(ServerStatus status) {
        if (!status.isUsable()) {
            return false;
        }
        long max = maxReplicationLag.toSeconds();
        // a lag unknown to the monitor (-1) does not exclude the replica, as in MaxScale
        return max <= 0 || status.replicationLag() < max;
    }

    /** The best candidate, or null for none. */
    Server select(List<Server> candidates, Function<Server, ServerStats> stats) {
        Server best = null;
        double bestScore = 0;
        for (Server s : candidates) {
            double score = score(s, stats.apply(s));
            if (best == null || s.rank() < best.rank() || (s.rank() == best.rank() && score < bestScore)) {
                best = s;
                bestScore = score;
            }
        }
        return best;
    }

    private double score(Server s, ServerStats st) {
        return switch (criteria) {
            case "least_router_connections", "least_global_connections" -> st.connections.get();
            case "least_behind_master" -> Math.max(0, s.status().replicationLag());
            case "adaptive_routing" -> (st.operations.get() + 1.0) * Math.max(1, st.averageNanos.get());
            default -> st.operations.get();
        };
    }
}
