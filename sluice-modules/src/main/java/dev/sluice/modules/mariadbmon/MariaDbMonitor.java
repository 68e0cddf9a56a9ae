package dev.sluice.modules.mariadbmon;

import dev.sluice.api.monitor.CommandResult;
import dev.sluice.api.monitor.Monitor;
import dev.sluice.api.monitor.MonitorContext;
import dev.sluice.api.monitor.MonitoredServer;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
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
    /** The operation queued or running; another is refused meanwhile. */
    private final java.util.concurrent.atomic.AtomicReference<QueuedCommand> busy =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** The last async-... command, for fetch-cmd-result and cancel-cmd. */
    private volatile QueuedCommand lastAsync;

    /** Written by the main worker (start/stop). */
    private volatile boolean stopping;
    private volatile Thread thread;

    /** Written by the monitor thread, read by anyone. */
    private volatile boolean ticked;
    private volatile Map<String, Object> diagnostics = Map.of();

    // ---- monitor thread only ----
    private final List<ServerProbe> probes = new ArrayList<>();
    /** cooperative_monitoring_locks; made by start(), closed when the thread ends. */
    private CooperativeLocks locks;
    private final int[] downTicks;
    private final PrimaryFailureCheck failureCheck = new PrimaryFailureCheck();
    private final WriteTest writeTest;
    private final long[] lastServerId;
    private final String[] lastVersion;
    private final String[] lastState;
    private final ServerStatus[] lastStatus;
    /** script_max_replication_lag: per server, whether its lag was last above the limit (null: undecided). */
    private final Boolean[] lagAbove;
    private final MonitorScript script;
    private final Journal journal;
    private int primary = -1;
    /** The primary's gtid_binlog_pos the last time it was reachable (for failover-safe); empty: unknown. */
    private String primaryLastGtid = "";
    private long tickCount;
    private ReplicationGraph lastGraph;
    /** Successful operations by name ("auto_failover", "switchover", ...), for diagnostics. */
    private final Map<String, Long> operationCounts = new java.util.TreeMap<>();
    private String lastOperation = "";
    /** Automatic operations are paused until this tick (after a failed one). */
    private long autoPausedUntil;
    /**
     * The global {@code passive} setting at the last tick: a passive Sluice performs no automatic operation
     * ({@code auto_failover}, {@code auto_rejoin}, the enforcement options); commands still run.
     */
    private boolean wasPassive;

    public MariaDbMonitor(MonitorContext context) {
        this.context = context;
        this.config = MariaDbMonitorConfig.from(context.params());
        this.servers = List.copyOf(context.servers());
        List<ReplicationGraph.Endpoint> list = new ArrayList<>();
        for (MonitoredServer s : servers) {
            list.add(new ReplicationGraph.Endpoint(s.server().name(), s.server().address(), s.server().port(),
                    s.server().params().get(ClusterOperations.PRIVATE_ADDRESS)));
        }
        this.endpoints = List.copyOf(list);
        this.selector = new PrimarySelector(config.failcount(), config.enforceWritableMaster());
        this.operations = new ClusterOperations(config, plainServers(), i -> i < probes.size()
                ? probes.get(i).diskExhausted() : "", new ClusterOperations.Progress() {
            @Override
            public void draining(int server) {
                publishDraining(server);
            }

            @Override
            public void demoting(int server) {
                publishDuringOperation(server, false, "being demoted: read_only on, writers' connections killed");
            }

            @Override
            public void promoted(int server) {
                publishDuringOperation(server, true, "promoted");
            }
        });
        int n = servers.size();
        this.downTicks = new int[n];
        this.lastServerId = new long[n];
        this.lastVersion = new String[n];
        this.lastState = new String[n];
        this.lastStatus = new ServerStatus[n];
        this.lagAbove = new Boolean[n];
        this.script = new MonitorScript(context.name(), context.params(), config.user() + ":" + config.password());
        this.journal = new Journal(context.dataDirectory(), context.params());
        this.writeTest = new WriteTest(config);
        for (int i = 0; i < n; i++) {
            lastServerId[i] = -1;
            lastVersion[i] = "";
            lastState[i] = "";
            lastStatus[i] = ServerStatus.UNMONITORED;
        }
        String remembered = journal.readPrimary();
        int index = remembered.isEmpty() ? -1 : operations.indexOf(remembered);
        if (index >= 0) {
            log.info("monitor {}: the journal names {} as the primary", context.name(), remembered);
            primary = index;
        }
    }

    private List<dev.sluice.api.server.Server> plainServers() {
        List<dev.sluice.api.server.Server> plain = new ArrayList<>();
        for (MonitoredServer s : servers) {
            plain.add(s.server());
        }
        return plain;
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
        locks = new CooperativeLocks(config.cooperativeLocks(), plainServers(), config);
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
                busy.compareAndSet(pending, null);
            }
            probes.forEach(ServerProbe::close);
            probes.clear();
            locks.close(); // the servers free this monitor's locks with the sessions
            script.close();

        }
    }

    /**
     * Runs a cluster command on the monitor thread. This is what
     * {@code sluice ctl call command mariadbmon <command> <monitor> [args]} maps to.
     *
     * <ul>
     *   <li>{@code switchover [NEW] [OLD]}, {@code switchover-force [NEW] [OLD]}, {@code failover},
     *       {@code rejoin SERVER}, {@code reset-replication [NEW_PRIMARY]}: queued to the monitor thread; the
     *       call waits for the result (at most the operation's time limit plus a tick);</li>
     *   <li>{@code async-switchover}, {@code async-failover}, {@code async-rejoin},
     *       {@code async-reset-replication}: queued the same way, but the call returns at once;
     *       {@code fetch-cmd-result} gives the result of the last one (or says it is pending or running), and
     *       {@code cancel-cmd} cancels it while it has not started;</li>
     *   <li>{@code release-locks}: frees this monitor's cooperative monitoring locks.</li>
     * </ul>
     * Only one operation at a time: while one is queued or running, another is refused, naming it.
     */
    @Override
    public CommandResult command(String name, List<String> args) {
        switch (name) {
            case "fetch-cmd-result" -> {
                return args.isEmpty() ? fetchResult()
                        : CommandResult.error("fetch-cmd-result: takes no arguments, got " + args);
            }
            case "cancel-cmd" -> {
                return args.isEmpty() ? cancel() : CommandResult.error("cancel-cmd: takes no arguments, got " + args);
            }
            default -> {
                // an operation, below
            }
        }
        boolean maintenance = false;
        if ((name.equals("switchover") || name.equals("switchover-force") || name.equals("async-switchover")
                || name.equals("async-switchover-force")) && args.stream().anyMatch(a -> a.contains("="))) {
            SwitchoverArguments kv;
            try {
                kv = SwitchoverArguments.parse(name, args);
            } catch (IllegalArgumentException e) {
                return CommandResult.error(e.getMessage());
            }
            name = kv.command();
            args = kv.positional();
            maintenance = kv.oldPrimaryMaintenance();
        }
        boolean async = name.startsWith("async-");
        String base = async ? name.substring("async-".length()) : name;
        if (async && !List.of("switchover", "switchover-force", "failover", "failover-safe", "rejoin",
                "reset-replication")
                .contains(base)) {
            return CommandResult.error("unknown mariadbmon command '" + name + "' (known: " + KNOWN + ")");
        }
        Supplier<ClusterOperations.Outcome> op;
        Duration limit;
        String arg0 = args.size() > 0 ? args.get(0) : "";
        String arg1 = args.size() > 1 ? args.get(1) : "";
        switch (base) {
            case "switchover", "switchover-force" -> {
                if (args.size() > 2) {
                    return CommandResult.error(base + ": expected [NEW_PRIMARY] [OLD_PRIMARY], got " + args);
                }
                boolean force = base.equals("switchover-force");
                op = maintenance ? () -> switchoverLeavingOldPrimaryInMaintenance(arg0, arg1, force)
                        : () -> operations.switchover(lastGraph, primary, arg0, arg1, force);
                limit = config.switchoverTimeout();
            }
            case "failover" -> {
                if (!args.isEmpty()) {
                    return CommandResult.error("failover: takes no arguments, got " + args);
                }
                op = () -> operations.failover(lastGraph, primary);
                limit = config.failoverTimeout();
            }
            case "failover-safe" -> {
                if (!args.isEmpty()) {
                    return CommandResult.error("failover-safe: takes no arguments, got " + args);
                }
                op = () -> operations.failoverSafe(lastGraph, primary, primaryLastGtid);
                limit = config.failoverTimeout();
            }
            case "rejoin" -> {
                if (args.size() != 1) {
                    return CommandResult.error("rejoin: expected SERVER, got " + args);
                }
                op = () -> operations.rejoin(lastGraph, primary, arg0);
                limit = config.switchoverTimeout();
            }
            case "reset-replication" -> {
                if (args.size() > 1) {
                    return CommandResult.error("reset-replication: expected [NEW_PRIMARY], got " + args);
                }
                op = () -> operations.resetReplication(lastGraph, primary, arg0);
                limit = config.switchoverTimeout();
            }
            case "release-locks" -> {
                if (!args.isEmpty()) {
                    return CommandResult.error("release-locks: takes no arguments, got " + args);
                }
                op = () -> new ClusterOperations.Outcome(CommandResult.ok(
                        locks.releaseLocks(RELEASE_LOCKS_QUIET_TICKS)), -1);
                limit = config.monitorInterval();
            }
            default -> {
                return CommandResult.error("unknown mariadbmon command '" + name + "' (known: " + KNOWN + ")");
            }
        }
        boolean operation = !base.equals("release-locks");
        if (operation) {
            op = onlyOnPrimaryMonitor(base, op);
        }
        if (thread == null || stopping) {
            return CommandResult.error(name + ": monitor " + context.name() + " is not running");
        }
        QueuedCommand queued = new QueuedCommand(base, op, new CompletableFuture<>(), operation,
                new java.util.concurrent.atomic.AtomicBoolean());
        if (operation && !busy.compareAndSet(null, queued)) {
            QueuedCommand other = busy.get();
            return CommandResult.error(name + ": refused: another operation (" + (other == null ? "?" : other.name())
                    + ") is " + (other != null && other.started().get() ? "running" : "queued")
                    + "; wait for it (fetch-cmd-result) or cancel it (cancel-cmd)");
        }
        if (async) {
            lastAsync = queued;
        }
        commands.add(queued);
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        if (async) {
            return CommandResult.ok(name + ": queued; fetch-cmd-result gives its result");
        }
        try {
            return queued.result().get(limit.toMillis() + 2 * config.monitorInterval().toMillis()
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

    static final String KNOWN = "switchover, switchover-force, failover, failover-safe, rejoin, reset-replication,"
            + " async-switchover, async-switchover-force, async-failover, async-failover-safe, async-rejoin,"
            + " async-reset-replication, fetch-cmd-result, cancel-cmd, release-locks";

    /**
     * {@code switchover … old_primary_maint=1}: the switchover, then the old primary replicates from nobody and
     * is put in maintenance (a rolling upgrade: the old primary leaves the cluster until the operator brings it
     * back). Monitor thread.
     */
    private ClusterOperations.Outcome switchoverLeavingOldPrimaryInMaintenance(String newName, String oldName,
                                                                              boolean force) {
        int old = oldName.isEmpty() ? primary : operations.indexOf(oldName);
        ClusterOperations.Outcome outcome = operations.switchover(lastGraph, primary, newName, oldName, force);
        if (!outcome.result().ok() || old < 0) {
            return outcome;
        }
        CommandResult detached = operations.standalone(old).result();
        servers.get(old).setMaintenance(true);
        String message = outcome.result().message() + "; " + name(old) + " left in maintenance"
                + (detached.ok() ? " without replication" : " (" + detached.message() + ")");
        return new ClusterOperations.Outcome(detached.ok() ? CommandResult.ok(message) : CommandResult.error(message),
                outcome.newPrimary());
    }

    /** {@code fetch-cmd-result}: the result of the last async command, or whether it is still pending. */
    private CommandResult fetchResult() {
        QueuedCommand last = lastAsync;
        if (last == null) {
            return CommandResult.ok(""); // as MaxScale: no command yet is an empty result, not an error
        }
        if (!last.result().isDone()) {
            return CommandResult.ok("fetch-cmd-result: " + last.name() + " is "
                    + (last.started().get() ? "running" : "pending"));
        }
        return last.result().getNow(CommandResult.error("fetch-cmd-result: no result"));
    }

    /** {@code cancel-cmd}: drops the last async command when it has not started yet. */
    private CommandResult cancel() {
        QueuedCommand last = lastAsync;
        if (last == null || last.result().isDone()) {
            return CommandResult.error("cancel-cmd: no asynchronous command is pending");
        }
        if (!commands.remove(last)) {
            return CommandResult.error("cancel-cmd: " + last.name() + " is already running and cannot be cancelled");
        }
        last.result().complete(CommandResult.error(last.name() + ": cancelled by cancel-cmd"));
        busy.compareAndSet(last, null);
        return CommandResult.ok("cancel-cmd: " + last.name() + " cancelled");
    }

    /** Ticks a monitor stays away from the locks after {@code release-locks}. */
    static final long RELEASE_LOCKS_QUIET_TICKS = 10;

    /** Refuses a cluster operation on a monitor that is not the primary monitor of cooperative monitoring. */
    private Supplier<ClusterOperations.Outcome> onlyOnPrimaryMonitor(String name,
                                                                    Supplier<ClusterOperations.Outcome> op) {
        return () -> locks.isPrimaryMonitor() ? op.get() : ClusterOperations.Outcome.refused(name
                + ": this monitor is not the primary monitor (cooperative_monitoring_locks="
                + config.cooperativeLocks().name().toLowerCase(java.util.Locale.ROOT)
                + ": another monitor holds the locks of a majority of the servers, or nobody does);"
                + " run the command on the primary monitor, or release-locks there first");
    }

    /** A manual command waiting for the monitor thread. */
    private record QueuedCommand(String name, Supplier<ClusterOperations.Outcome> operation,
                                 CompletableFuture<CommandResult> result, boolean isOperation,
                                 java.util.concurrent.atomic.AtomicBoolean started) {
    }

    private void runQueuedCommands() {
        QueuedCommand command;
        while (!stopping && (command = commands.poll()) != null) {
            command.started().set(true);
            CommandResult result = CommandResult.error(command.name() + ": failed");
            try {
                result = runQueued(command);
            } finally {
                busy.compareAndSet(command, null); // before answering: the caller may send the next one at once
                command.result().complete(result);
            }
        }
    }

    private CommandResult runQueued(QueuedCommand command) {
        if (lastGraph == null) {
            return CommandResult.error(command.name() + ": the monitor has not read the servers yet");
        }
        CommandResult result;
        try {
            result = apply(command.name(), command.operation().get(), false);
        } catch (RuntimeException e) {
            result = CommandResult.error(command.name() + ": " + e);
        }
        tick(); // publish the new roles before answering, and give the next command a fresh graph
        return result;
    }

    /** Records an operation's outcome: a changed primary, the log line, the pause of automatic operations. */
    private CommandResult apply(String what, ClusterOperations.Outcome outcome, boolean automatic) {
        if (outcome.newPrimary() >= 0 && outcome.newPrimary() != primary) {
            log.info("monitor {}: primary {} -> {} ({})", context.name(), name(primary), name(outcome.newPrimary()),
                    what);
            primary = outcome.newPrimary();
            primaryLastGtid = "";
        }
        lastOperation = what + ": " + outcome.result().message();
        if (outcome.result().ok()) {
            operationCounts.merge(what, 1L, Long::sum);
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
        int tested = primary >= 0 && graph.isRunning(primary) ? primary : -1;
        if (tested >= 0) {
            primaryLastGtid = graph.snapshot(tested).gtidBinlogPos();
        }
        if (writeTest.tick(tested, tested < 0 ? null : servers.get(tested).server(),
                tested < 0 ? "" : graph.snapshot(tested).gtidBinlogPos(), System.nanoTime())) {
            log.warn("monitor {}: primary {} failed the write test ({} in a row): {}", context.name(), name(tested),
                    writeTest.failures(), writeTest.lastError());
        }
        boolean[] running = new boolean[servers.size()];
        for (int i = 0; i < running.length; i++) {
            running[i] = graph.isRunning(i);
        }
        locks.update(running, primary);
        boolean passive = context.passive();
        if (wasPassive && !passive) {
            // passive -> active: look at the cluster for failcount more ticks before acting on it
            autoPausedUntil = Math.max(autoPausedUntil, tickCount + config.failcount());
            log.info("monitor {}: no longer passive; automatic operations resume in {} ticks", context.name(),
                    config.failcount());
        }
        wasPassive = passive;
        if (!passive && locks.isPrimaryMonitor() && automaticOperations(graph)) {
            graph = probeAll(); // the operation changed the cluster: decide on what it is now
        }
        lastGraph = graph;
        if (primary >= 0 && graph.isRunning(primary)) {
            operations.rememberExternal(primary, graph.externalSourcesOf(primary));
        }
        int n = servers.size();
        List<ServerSnapshot> snapshots = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            snapshots.add(graph.snapshot(i));
        }
        OptionalInt chosen = selector.select(graph, primary, downTicks);
        int newPrimary = chosen.orElse(-1);
        if (newPrimary >= 0 && !primaryMonitorAgrees(newPrimary)) {
            chosen = OptionalInt.empty(); // master_conditions=primary_monitor_master
        }
        if (newPrimary != primary) {
            log.info("monitor {}: primary {} -> {}", context.name(), name(primary), name(newPrimary));
            primary = newPrimary;
        }
        if (newPrimary >= 0) {
            journal.writePrimary(name(newPrimary));
        }
        List<ServerStatus> statuses = RoleConditions.apply(StatusAssigner.assign(graph, chosen, downTicks), graph,
                chosen.orElse(-1), config.masterConditions(), config.slaveConditions(),
                newPrimary < 0 || primaryMonitorAgrees(newPrimary));
        statuses = DiskSpace.apply(statuses, diskExhausted(), config.masterConditions(), config.slaveConditions(),
                config.maintenanceOnLowDiskSpace());
        for (int i = 0; i < n; i++) {
            ServerStatus status = statuses.get(i);
            if (!snapshots.get(i).reachable()) {
                status = new ServerStatus(status.bits(), status.replicationLag(), lastServerId[i], false, "", "",
                        lastVersion[i], status.detail());
            }
            servers.get(i).publish(status);
            if (tickCount > 0) {
                int initiator = i;
                ServerStatus before = lastStatus[i];
                List<ServerStatus> now = statuses;
                MonitorScript.event(before, status).ifPresent(event -> script.fire(event, initiator, plainServers(),
                        now, primary));
            }
            if (config.scriptMaxReplicationLag() >= 0 && status.replicationLag() >= 0) {
                int initiator = i;
                List<ServerStatus> now = statuses;
                MonitorScript.lagEvent(lagAbove[i], status.replicationLag(), config.scriptMaxReplicationLag())
                        .ifPresent(event -> {
                            lagAbove[initiator] = event.equals("rlag_above");
                            script.fireCustom(event, initiator, plainServers(), now, primary);
                        });
            }
            lastStatus[i] = status;
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

    /**
     * {@code master_conditions=primary_monitor_master}: a secondary monitor of cooperative monitoring gives
     * the primary role only to the server the primary monitor marks with its master lock, when it marks one.
     */
    private boolean primaryMonitorAgrees(int candidate) {
        return !locks.enabled() || locks.isPrimaryMonitor()
                || !config.masterConditions().contains("primary_monitor_master")
                || !locks.anyMasterLockElsewhere() || locks.masterLockedElsewhere(candidate);
    }

    /**
     * Publishes a role change in the middle of an operation (monitor thread): a primary being demoted loses
     * Master before it turns read-only, a promoted server gets Master as soon as it is writable. The tick that
     * follows every operation publishes the full picture.
     */
    private void publishDuringOperation(int server, boolean master, String detail) {
        ServerStatus before = lastStatus[server];
        long bits = master ? StatusBit.RUNNING.mask() | StatusBit.MASTER.mask()
                : before.bits() & ~StatusBit.MASTER.mask();
        ServerStatus now = new ServerStatus(bits, master ? 0 : before.replicationLag(), before.serverId(),
                !master, before.gtidBinlogPos(), before.gtidCurrentPos(), before.version(), detail);
        servers.get(server).publish(now);
        log.info("monitor {}: server {} is now {} ({})", context.name(), name(server), now.stateString(), detail);
    }

    /**
     * Publishes the primary of a switchover as drained (monitor thread): still the Master, so that the
     * transactions open on it go on there, but with {@code readOnly} set, which tells readwritesplit to start no
     * new transaction or autocommit write on it (they wait for the new primary).
     */
    private void publishDraining(int server) {
        ServerStatus before = lastStatus[server];
        ServerStatus now = new ServerStatus(before.bits(), before.replicationLag(), before.serverId(), true,
                before.gtidBinlogPos(), before.gtidCurrentPos(), before.version(),
                "being drained for a switchover: open transactions finish, new ones wait for the new primary");
        servers.get(server).publish(now);
        log.info("monitor {}: server {} is now {} ({})", context.name(), name(server), now.stateString(),
                now.detail());
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
        failureCheck.update(snapshots, System.nanoTime());
        return ReplicationGraph.build(endpoints, snapshots, config.assumeUniqueHostnames());
    }

    /**
     * {@code auto_failover} and {@code auto_rejoin}, on this tick's graph and the primary of the previous
     * tick. Returns whether an operation ran.
     */
    private boolean automaticOperations(ReplicationGraph graph) {
        if (tickCount < autoPausedUntil) {
            return false;
        }
        if (primary < 0 && config.enforceSimpleTopology()) {
            int lost = unseenPrimary(graph);
            if (lost < 0) {
                return false;
            }
            log.warn("monitor {}: {} was never seen running but running servers replicate from it and it has been"
                    + " down for {} ticks; failing over (enforce_simple_topology)", context.name(), name(lost),
                    downTicks[lost]);
            apply("auto_failover", operations.failover(graph, lost), true);
            return true;
        }
        if (primary < 0) {
            return false;
        }
        if (config.writeTestFailover() && graph.isRunning(primary) && writeTest.failures() >= config.failcount()) {
            int old = primary;
            log.warn("monitor {}: primary {} failed the write test {} times; failing over (write_test_fail_action)",
                    context.name(), name(old), writeTest.failures());
            CommandResult r = apply("write_test_failover", operations.failoverFromUnwritable(graph, old), true);
            if (r.ok()) {
                servers.get(old).setMaintenance(true);
                log.warn("monitor {}: {} is in maintenance after failing the write test; clear it by hand once it"
                        + " takes writes again", context.name(), name(old));
            }
            return true;
        }
        if (config.autoFailover() && !graph.isRunning(primary) && downTicks[primary] >= config.failcount()) {
            if (config.verifyMasterFailure()) {
                String heard = failureCheck.stillHeard(graph, primary, config.masterFailureTimeout(), System.nanoTime());
                if (!heard.isEmpty()) {
                    log.info("monitor {}: primary {} is unreachable but {} still hears from it; no failover",
                            context.name(), name(primary), heard);
                    return false;
                }
            }
            log.warn("monitor {}: primary {} down for {} ticks; failing over", context.name(), name(primary),
                    downTicks[primary]);
            apply("auto_failover", config.autoFailoverSafe()
                    ? operations.failoverSafe(graph, primary, primaryLastGtid)
                    : operations.failover(graph, primary), true);
            return true;
        }
        if (config.switchoverOnLowDiskSpace() && graph.isRunning(primary)
                && !probes.get(primary).diskExhausted().isEmpty()) {
            log.warn("monitor {}: the disk space of primary {} is exhausted ({}); switching over"
                    + " (switchover_on_low_disk_space)", context.name(), name(primary),
                    probes.get(primary).diskExhausted());
            apply("switchover_on_low_disk_space", operations.switchover(graph, primary, "", "", false), true);
            return true;
        }
        if (enforce(graph)) {
            return true;
        }
        if (config.autoRejoin() && graph.isRunning(primary)) {
            boolean ran = false;
            for (int i = 0; i < graph.size(); i++) {
                if (i == primary || !graph.isRunning(i)
                        || servers.get(i).server().status().is(StatusBit.MAINTENANCE)) {
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

    /**
     * {@code enforce_simple_topology} with no known primary: the monitored server that is down for
     * {@code failcount} ticks and that the most running servers replicate from (typically a primary that died
     * before this monitor started), or -1.
     */
    private int unseenPrimary(ReplicationGraph graph) {
        int best = -1;
        int bestReplicas = 0;
        for (int i = 0; i < graph.size(); i++) {
            if (graph.isRunning(i) || downTicks[i] < config.failcount()) {
                continue;
            }
            int replicas = (int) graph.replicasOf(i).stream().filter(e -> graph.isRunning(e.replica())).count();
            if (replicas > bestReplicas) {
                best = i;
                bestReplicas = replicas;
            }
        }
        return best;
    }

    /**
     * {@code enforce_writable_master}: the primary gets {@code read_only=OFF};
     * {@code enforce_read_only_slaves}: its running replicas get {@code read_only=ON}. Returns whether a server
     * was changed.
     */
    private boolean enforce(ReplicationGraph graph) {
        boolean changed = false;
        if (config.enforceWritableMaster() && graph.isRunning(primary) && graph.snapshot(primary).readOnly()
                && !graph.replicatesFromMonitored(primary)) {
            apply("enforce_writable_master", operations.setReadOnly(primary, false), true);
            changed = true;
        }
        if (config.enforceReadOnlySlaves()) {
            for (ReplicationGraph.Edge edge : graph.runningReplicasBelow(primary)) {
                int r = edge.replica();
                if (r != primary && graph.isRunning(r) && !graph.snapshot(r).readOnly()) {
                    apply("enforce_read_only_slaves", operations.setReadOnly(r, true), true);
                    changed = true;
                }
            }
        }
        return changed;
    }

    /** Per server, its disks above {@code disk_space_threshold} at the last check (empty: none). */
    private String[] diskExhausted() {
        String[] out = new String[probes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = probes.get(i).diskExhausted();
        }
        return out;
    }

    private String name(int index) {
        return index < 0 ? "(none)" : endpoints.get(index).name();
    }

    private Map<String, Object> describe(List<ServerSnapshot> snapshots, List<ServerStatus> statuses) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("primary", primary < 0 ? null : endpoints.get(primary).name());
        out.put("ticks", tickCount);
        if (locks.enabled()) {
            out.put("cooperative_monitoring", locks.describe());
        }
        out.put("operations", new LinkedHashMap<>(operationCounts));
        if (!config.writeTestInterval().isZero()) {
            out.put("write_test_failures", writeTest.failures());
        }
        out.put("last_operation", lastOperation);
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
            int group = lastGraph == null ? 0 : lastGraph.cycleOf(i);
            m.put("master_group", group == 0 ? null : group); // MaxScale's name: the multi-primary group
            List<Map<String, Object>> connections = new ArrayList<>();
            for (ReplicationConnection c : s.connections()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("connection_name", c.name());
                cm.put("master_host", c.masterHost());
                cm.put("master_port", c.masterPort());
                cm.put("master_server_id", c.masterServerId());
                cm.put("master_server_name", sourceName(c)); // null for a source outside the monitored servers
                cm.put("using_gtid", c.usingGtid());
                String io = c.ioThread().name(); // as SHOW SLAVE STATUS writes it: Yes, Connecting, No
                cm.put("slave_io_running", io.charAt(0) + io.substring(1).toLowerCase(java.util.Locale.ROOT));
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
        out.put("server_info", serverInfo); // MaxScale's key: maxctrl's "show replication" reads it
        return out;
    }

    /** The monitored server a replication connection reads from, by address and port, or null. */
    private String sourceName(ReplicationConnection c) {
        for (ReplicationGraph.Endpoint e : endpoints) {
            if (e.port() == c.masterPort() && e.address().equalsIgnoreCase(c.masterHost())) {
                return e.name();
            }
        }
        return null;
    }
}
