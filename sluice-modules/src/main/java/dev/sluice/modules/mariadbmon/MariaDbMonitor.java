package dev.sluice.modules.mariadbmon;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.api.monitor.Monitor;
import dev.sluice.api.monitor.MonitorContext;
import dev.sluice.api.monitor.MonitoredServer;
import dev.sluice.api.server.ServerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mariadbmon} monitor: on its own thread, every {@code monitor_interval}, it reads every server
 * ({@link ServerProbe}), builds the {@link ReplicationGraph}, keeps or chooses the primary
 * ({@link PrimarySelector}) and publishes one {@link ServerStatus} per server ({@link StatusAssigner}).
 *
 * <p>Servers are read one after the other; a server that does not answer costs at most
 * {@code backend_connect_timeout} (+ {@code backend_read_timeout}), and the next tick starts
 * {@code monitor_interval} after the previous one started, or at once when a tick overran.
 *
 * <p>Cluster operations ({@link ClusterOperations}) also run on the monitor thread, between ticks: the manual
 * ones arrive through {@link #command(String, List)}, which queues them and waits for their result; the
 * automatic ones ({@code auto_failover}, {@code auto_rejoin}) are decided at the end of a tick. Manual and
 * automatic operations therefore never run at the same time. After a failed automatic operation, automatic
 * operations pause for {@code failcount} ticks.
 *
 * <p>Threads: {@link #start()} and {@link #stop()} are called by the main worker; {@link #command} by any
 * thread; everything else runs on the monitor thread, whose state is plain fields. {@link #hasTicked()} and
 * {@link #diagnostics()} read volatile snapshots written by the monitor thread.
 */
public final class MariaDbMonitor implements Monitor {

    private static final Logger log = LoggerFactory.getLogger(MariaDbMonitor.class);

    private final MonitorContext context;
    private final MariaDbMonitorConfig config;
    private final List<MonitoredServer> servers;
    private final List<ReplicationGraph.Endpoint> endpoints;
    private final PrimarySelector selector;
    private final Object wakeup = new Object();
    private final ClusterOperations operations;
    private final ConcurrentLinkedQueue<QueuedCommand> commands = new ConcurrentLinkedQueue<>();

    /** Written by the main worker (start/stop). */
    private volatile boolean stopping;
    private volatile Thread thread;

    /** Written by the monitor thread, read by anyone. */
    private volatile boolean ticked;
    private volatile Map<String, Object> diagnostics = Map.of();

    // ---- monitor thread only ----
    private final List<ServerProbe> probes = new ArrayList<>();
    private final int[] downTicks;
    private final long[] lastServerId;
    private final String[] lastVersion;
    private final String[] lastState;
    private int primary = -1;
    private long tickCount;
    private ReplicationGraph lastGraph;
    /** Automatic operations are paused until this tick (after a failed one). */
    private long autoPausedUntil;

    public MariaDbMonitor(MonitorContext context) {
        this.context = context;
        this.config = MariaDbMonitorConfig.from(context.params());
        this.servers = List.copyOf(context.servers());
        List<ReplicationGraph.Endpoint> list = new ArrayList<>();
        for (MonitoredServer s : servers) {
            list.add(new ReplicationGraph.Endpoint(s.server().name(), s.server().address(), s.server().port()));
        }
        this.endpoints = List.copyOf(list);
        this.selector = new PrimarySelector(config.failcount());
        List<dev.sluice.api.server.Server> plain = new ArrayList<>();
        for (MonitoredServer s : servers) {
            plain.add(s.server());
        }
        this.operations = new ClusterOperations(config, plain);
        int n = servers.size();
        this.downTicks = new int[n];
        this.lastServerId = new long[n];
        this.lastVersion = new String[n];
        this.lastState = new String[n];
        for (int i = 0; i < n; i++) {
            lastServerId[i] = -1;
            lastVersion[i] = "";
            lastState[i] = "";
        }
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        stopping = false;
        for (MonitoredServer s : servers) {
            probes.add(new ServerProbe(s.server(), config));
        }
        thread = new Thread(this::run, "monitor-" + context.name());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        stopping = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        try {
            // a tick in progress finishes within the JDBC timeouts of its servers
            long bound = config.monitorInterval().toMillis()
                    + servers.size() * (config.connectTimeout().toMillis() + config.readTimeout().toMillis()) * 2;
            thread.join(bound + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    @Override
    public boolean hasTicked() {
        return ticked;
    }

    @Override
    public Map<String, Object> diagnostics() {
        return diagnostics;
    }

    private void run() {
        long intervalNanos = config.monitorInterval().toNanos();
        try {
            while (!stopping) {
                long started = System.nanoTime();
                try {
                    tick();
                    runQueuedCommands();
                } catch (RuntimeException e) {
                    log.warn("monitor {}: tick failed", context.name(), e);
                }
                long sleepNanos = intervalNanos - (System.nanoTime() - started);
                if (sleepNanos > 0 && !stopping && commands.isEmpty()) {
                    synchronized (wakeup) {
                        if (!stopping && commands.isEmpty()) {
                            TimeUnit.NANOSECONDS.timedWait(wakeup, sleepNanos);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            QueuedCommand pending;
            while ((pending = commands.poll()) != null) {
                pending.result().complete(CommandResult.error(pending.name() + ": monitor " + context.name()
                        + " is stopping"));
            }
            probes.forEach(ServerProbe::close);
            probes.clear();
        }
    }

    /**
     * Runs a cluster command on the monitor thread and waits for its result (at most the operation's time
     * limit plus a tick). Commands: {@code switchover [NEW] [OLD]}, {@code failover}, {@code rejoin SERVER}.
     * This is what {@code sluice ctl call command mariadbmon <command> <monitor> [args]} maps to.
     */
    @Override
    public CommandResult command(String name, List<String> args) {
        Supplier<ClusterOperations.Outcome> op;
        Duration limit;
        String arg0 = args.size() > 0 ? args.get(0) : "";
        String arg1 = args.size() > 1 ? args.get(1) : "";
        switch (name) {
            case "switchover" -> {
                if (args.size() > 2) {
                    return CommandResult.error("switchover: expected [NEW_PRIMARY] [OLD_PRIMARY], got " + args);
                }
                op = () -> operations.switchover(lastGraph, primary, arg0, arg1);
                limit = config.switchoverTimeout();
            }
            case "failover" -> {
                if (!args.isEmpty()) {
                    return CommandResult.error("failover: takes no arguments, got " + args);
                }
                op = () -> operations.failover(lastGraph, primary);
                limit = config.failoverTimeout();
            }
            case "rejoin" -> {
                if (args.size() != 1) {
                    return CommandResult.error("rejoin: expected SERVER, got " + args);
                }
                op = () -> operations.rejoin(lastGraph, primary, arg0);
                limit = config.switchoverTimeout();
            }
            default -> {
                return CommandResult.error("unknown mariadbmon command '" + name
                        + "' (known: switchover, failover, rejoin)");
            }
        }
        if (thread == null || stopping) {
            return CommandResult.error(name + ": monitor " + context.name() + " is not running");
        }
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        commands.add(new QueuedCommand(name, op, result));
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        try {
            return result.get(limit.toMillis() + 2 * config.monitorInterval().toMillis()
                    + servers.size() * 2 * (config.connectTimeout().toMillis() + config.readTimeout().toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return CommandResult.error(name + ": no result within the time limit (" + limit + ")");
        } catch (ExecutionException e) {
            return CommandResult.error(name + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CommandResult.error(name + ": interrupted");
        }
    }

    /** A manual command waiting for the monitor thread. */
    private record QueuedCommand(String name, Supplier<ClusterOperations.Outcome> operation,
                                 CompletableFuture<CommandResult> result) {
    }

    private void runQueuedCommands() {
        QueuedCommand command;
        while (!stopping && (command = commands.poll()) != null) {
            if (lastGraph == null) {
                command.result().complete(CommandResult.error(command.name()
                        + ": the monitor has not read the servers yet"));
                continue;
            }
            CommandResult result;
            try {
                result = apply(command.name(), command.operation().get(), false);
            } catch (RuntimeException e) {
                result = CommandResult.error(command.name() + ": " + e);
            }
            try {
                tick(); // publish the new roles before answering, and give the next command a fresh graph
            } finally {
                command.result().complete(result);
            }
        }
    }

    /** Records an operation's outcome: a changed primary, the log line, the pause of automatic operations. */
    private CommandResult apply(String what, ClusterOperations.Outcome outcome, boolean automatic) {
        if (outcome.newPrimary() >= 0 && outcome.newPrimary() != primary) {
            log.info("monitor {}: primary {} -> {} ({})", context.name(), name(primary), name(outcome.newPrimary()),
                    what);
            primary = outcome.newPrimary();
        }
        if (outcome.result().ok()) {
            log.info("monitor {}: {}{}", context.name(), automatic ? "automatic " : "", outcome.result().message());
        } else {
            log.warn("monitor {}: {}{}", context.name(), automatic ? "automatic " : "", outcome.result().message());
            if (automatic) {
                autoPausedUntil = tickCount + config.failcount();
            }
        }
        return outcome.result();
    }

    /** One round: read, decide, publish. Package-private so tests can drive ticks by hand. */
    void tick() {
        ReplicationGraph graph = probeAll();
        if (automaticOperations(graph)) {
            graph = probeAll(); // the operation changed the cluster: decide on what it is now
        }
        lastGraph = graph;
        int n = servers.size();
        List<ServerSnapshot> snapshots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            snapshots.add(graph.snapshot(i));
        }
        OptionalInt chosen = selector.select(graph, primary, downTicks);
        int newPrimary = chosen.orElse(-1);
        if (newPrimary != primary) {
            log.info("monitor {}: primary {} -> {}", context.name(), name(primary), name(newPrimary));
            primary = newPrimary;
        }
        List<ServerStatus> statuses = StatusAssigner.assign(graph, chosen, downTicks);
        for (int i = 0; i < n; i++) {
            ServerStatus status = statuses.get(i);
            if (!snapshots.get(i).reachable()) {
                status = new ServerStatus(status.bits(), status.replicationLag(), lastServerId[i], false, "", "",
                        lastVersion[i], status.detail());
            }
            servers.get(i).publish(status);
            String state = status.stateString();
            if (!state.equals(lastState[i])) {
                log.info("monitor {}: server {} is now {}{}", context.name(), endpoints.get(i).name(), state,
                        status.detail().isEmpty() ? "" : " (" + status.detail() + ")");
                lastState[i] = state;
            }
        }
        tickCount++;
        diagnostics = describe(snapshots, statuses);
        ticked = true;
    }

    private ReplicationGraph probeAll() {
        int n = servers.size();
        List<ServerSnapshot> snapshots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ServerSnapshot s = probes.get(i).probe();
            snapshots.add(s);
            downTicks[i] = s.reachable() ? 0 : downTicks[i] + 1;
            if (s.reachable()) {
                lastServerId[i] = s.serverId();
                lastVersion[i] = s.version();
            }
        }
        return ReplicationGraph.build(endpoints, snapshots, config.assumeUniqueHostnames());
    }

    /**
     * {@code auto_failover} and {@code auto_rejoin}, on this tick's graph and the primary of the previous
     * tick. Returns whether an operation ran.
     */
    private boolean automaticOperations(ReplicationGraph graph) {
        if (tickCount < autoPausedUntil || primary < 0) {
            return false;
        }
        if (config.autoFailover() && !graph.isRunning(primary) && downTicks[primary] >= config.failcount()) {
            if (config.verifyMasterFailure()) {
                for (ReplicationGraph.Edge edge : graph.replicasOf(primary)) {
                    if (edge.connection().ioThread() == ReplicationConnection.IoThread.YES) {
                        log.info("monitor {}: primary {} is unreachable but {} still receives its events;"
                                + " no failover", context.name(), name(primary), name(edge.replica()));
                        return false;
                    }
                }
            }
            log.warn("monitor {}: primary {} down for {} ticks; failing over", context.name(), name(primary),
                    downTicks[primary]);
            apply("auto_failover", operations.failover(graph, primary), true);
            return true;
        }
        if (config.autoRejoin() && graph.isRunning(primary)) {
            boolean ran = false;
            for (int i = 0; i < graph.size(); i++) {
                if (i == primary || !graph.isRunning(i)) {
                    continue;
                }
                boolean standalone = graph.snapshot(i).connections().isEmpty();
                boolean wrongSource = !standalone && graph.sourcesOf(i).stream().noneMatch(e -> e.source() == primary)
                        && !graph.sourcesOf(i).isEmpty();
                if ((standalone || wrongSource) && operations.whyNoRejoin(graph, primary, i).isEmpty()) {
                    log.info("monitor {}: {} is {}; rejoining it", context.name(), name(i),
                            standalone ? "standalone" : "replicating from the wrong source");
                    CommandResult r = apply("auto_rejoin", operations.rejoin(graph, primary, name(i)), true);
                    ran = true;
                    if (!r.ok()) {
                        break;
                    }
                }
            }
            return ran;
        }
        return false;
    }

    private String name(int index) {
        return index < 0 ? "(none)" : endpoints.get(index).name();
    }

    private Map<String, Object> describe(List<ServerSnapshot> snapshots, List<ServerStatus> statuses) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("primary", primary < 0 ? null : endpoints.get(primary).name());
        out.put("ticks", tickCount);
        List<Map<String, Object>> serverInfo = new ArrayList<>();
        for (int i = 0; i < snapshots.size(); i++) {
            ServerSnapshot s = snapshots.get(i);
            ServerStatus status = statuses.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", endpoints.get(i).name());
            m.put("state", status.stateString());
            m.put("state_details", status.detail());
            m.put("server_id", lastServerId[i]);
            m.put("read_only", s.readOnly());
            m.put("gtid_binlog_pos", s.gtidBinlogPos());
            m.put("gtid_current_pos", s.gtidCurrentPos());
            m.put("gtid_slave_pos", s.gtidSlavePos());
            m.put("replication_lag", status.replicationLag());
            List<Map<String, Object>> connections = new ArrayList<>();
            for (ReplicationConnection c : s.connections()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("connection_name", c.name());
                cm.put("master_host", c.masterHost());
                cm.put("master_port", c.masterPort());
                cm.put("master_server_id", c.masterServerId());
                cm.put("slave_io_running", c.ioThread().name());
                cm.put("slave_sql_running", c.sqlRunning() ? "Yes" : "No");
                cm.put("seconds_behind_master", c.secondsBehindMaster());
                cm.put("gtid_io_pos", c.gtidIoPos());
                cm.put("last_io_error", c.lastIoError());
                cm.put("last_sql_error", c.lastSqlError());
                connections.add(cm);
            }
            m.put("slave_connections", connections);
            serverInfo.add(m);
        }
        out.put("servers", serverInfo);
        return out;
    }
}
