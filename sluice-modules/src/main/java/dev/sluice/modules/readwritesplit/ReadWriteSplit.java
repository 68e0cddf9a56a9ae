package dev.sluice.modules.readwritesplit;

import dev.sluice.api.router.Router;
import dev.sluice.api.router.RouterContext;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.api.server.Server;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The readwritesplit router instance of one service: the immutable configuration, the decision logic shared by
 * its sessions, and counters written by every worker (LongAdders, atomics in {@link ServerStats}).
 */
public final class ReadWriteSplit implements Router {
    private final ReadWriteSplitConfig config;
    private final TargetDecider decider;
    private final ReplicaSelector selector;
    private final Map<String, ServerStats> servers = new ConcurrentHashMap<>();
    final LongAdder sessions = new LongAdder();
    final LongAdder queries = new LongAdder();
    final LongAdder routeMaster = new LongAdder();
    final LongAdder routeSlave = new LongAdder();
    final LongAdder routeAll = new LongAdder();
    final LongAdder rwTransactions = new LongAdder();
    final LongAdder roTransactions = new LongAdder();
    final LongAdder retriedReads = new LongAdder();
    final LongAdder droppedReplicas = new LongAdder();
    final LongAdder causalWaits = new LongAdder();
    final LongAdder causalTimeouts = new LongAdder();
    /** causal_reads: {@code SELECT @@last_gtid} round trips (the write's OK did not report its GTID). */
    final LongAdder gtidQueries = new LongAdder();
    /** reuse_prepared_statements: prepares answered with a statement the session had. */
    final LongAdder reusedPrepares = new LongAdder();
    final LongAdder delayedRetries = new LongAdder();
    final LongAdder replayedTransactions = new LongAdder();
    final LongAdder replayMismatches = new LongAdder();
    final LongAdder trxMaxSizeExceeded = new LongAdder();
    private final CausalReads.Mode causalMode;
    /** causal_reads=global / fast_global: the latest GTID position of writes through this service. */
    private final AtomicReference<String> serviceGtid = new AtomicReference<>("");

    ReadWriteSplit(RouterContext context) {
        this(ReadWriteSplitConfig.from(context.params()));
    }

    ReadWriteSplit(ReadWriteSplitConfig config) {
        this.config = config;
        this.decider = new TargetDecider(config);
        this.selector = new ReplicaSelector(config.slaveSelectionCriteria(), config.maxReplicationLag());
        this.causalMode = CausalReads.Mode.of(config.causalReads());
    }

    @Override
    public RouterSession newSession(RouterSessionContext session) {
        sessions.increment();
        return new ReadWriteSplitSession(this, session);
    }

    ReadWriteSplitConfig config() {
        return config;
    }

    TargetDecider decider() {
        return decider;
    }

    ReplicaSelector selector() {
        return selector;
    }

    CausalReads.Mode causalMode() {
        return causalMode;
    }

    String serviceGtid() {
        return serviceGtid.get();
    }

    void observeGtid(String gtid) {
        serviceGtid.accumulateAndGet(gtid, CausalReads::merge);
    }

    ServerStats stats(Server server) {
        return servers.computeIfAbsent(server.name(), k -> new ServerStats());
    }

    @Override
    public Map<String, Object> diagnostics() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sessions", sessions.sum());
        d.put("queries", queries.sum());
        d.put("route_master", routeMaster.sum());
        d.put("route_slave", routeSlave.sum());
        d.put("route_all", routeAll.sum());
        d.put("rw_transactions", rwTransactions.sum());
        d.put("ro_transactions", roTransactions.sum());
        d.put("retried_reads", retriedReads.sum());
        d.put("dropped_replicas", droppedReplicas.sum());
        d.put("causal_waits", causalWaits.sum());
        d.put("causal_timeouts", causalTimeouts.sum());
        d.put("causal_gtid_queries", gtidQueries.sum());
        d.put("reused_prepared_statements", reusedPrepares.sum());
        d.put("delayed_retries", delayedRetries.sum());
        d.put("replayed_transactions", replayedTransactions.sum());
        d.put("replay_mismatches", replayMismatches.sum());
        d.put("trx_max_size_exceeded", trxMaxSizeExceeded.sum());
        Map<String, Object> perServer = new LinkedHashMap<>();
        servers.forEach((name, st) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("total", st.total.sum());
            s.put("read", st.reads.sum());
            s.put("write", st.writes.sum());
            s.put("connections", st.connections.get());
            s.put("current_operations", st.operations.get());
            s.put("average_reply_us", st.averageNanos.get() / 1000);
            perServer.put(name, s);
        });
        d.put("server_query_statistics", perServer);
        d.put("router_options", config);
        return d;
    }
}
