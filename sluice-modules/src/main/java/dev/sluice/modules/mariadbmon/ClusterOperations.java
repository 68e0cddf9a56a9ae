package dev.sluice.modules.mariadbmon;

import dev.sluice.api.server.GtidPosition;
import dev.sluice.api.monitor.CommandResult;
import dev.sluice.api.server.Server;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * mariadbmon's cluster operations — switchover, failover, rejoin — on a primary with GTID replicas. Runs on the
 * monitor thread only, with its own short-lived JDBC connections whose read timeout is what remains of the
 * operation's time limit ({@code switchover_timeout} or {@code failover_timeout}).
 *
 * <p>Every operation first checks its preconditions against the last tick's {@link ReplicationGraph} and
 * returns a {@link CommandResult} naming the first one that failed; nothing is changed on the servers then.
 * Replicas are pointed at a new source with {@code CHANGE MASTER TO ... MASTER_USE_GTID=current_pos} using
 * {@code replication_user}/{@code replication_password} (default: the monitor's credentials). A promoted server
 * takes over the old primary's replication from external servers (see {@code takeOverExternal}).
 */
final class ClusterOperations {

    private final MariaDbMonitorConfig config;
    private final List<Server> servers;

    /**
     * Told of the moments that matter to the routers, so the monitor can publish them at once instead of after
     * the whole operation: a primary about to be made read-only (stop sending it writes) and a server that has
     * just become writable (send writes there), before the other replicas are redirected.
     */
    interface Progress {
        Progress NONE = new Progress() {
        };

        /** A primary is about to be drained: routers start no new transaction on it but let open ones finish. */
        default void draining(int server) {
        }

        default void demoting(int server) {
        }

        default void promoted(int server) {
        }
    }

    private final Progress progress;

    ClusterOperations(MariaDbMonitorConfig config, List<Server> servers) {
        this(config, servers, Progress.NONE);
    }

    ClusterOperations(MariaDbMonitorConfig config, List<Server> servers, Progress progress) {
        this(config, servers, i -> "", progress);
    }

    /**
     * @param diskExhausted per server index, its disks above {@code disk_space_threshold} (empty: none); such a
     *                      server is not chosen for promotion automatically
     */
    ClusterOperations(MariaDbMonitorConfig config, List<Server> servers,
                      java.util.function.IntFunction<String> diskExhausted, Progress progress) {
        this.config = config;
        this.servers = List.copyOf(servers);
        this.progress = progress;
        this.diskExhausted = diskExhausted;
    }

    private final java.util.function.IntFunction<String> diskExhausted;

    /** An operation's result and, when it succeeded, the index of the primary after it (else -1). */
    /** The servers' {@code private_address}, declared by the runtime's server spec; read here by name. */
    static final dev.sluice.api.config.Param<String> PRIVATE_ADDRESS = dev.sluice.api.config.Param.string(
            "private_address", "", "Address other servers replicate from this one by.");

    record Outcome(CommandResult result, int newPrimary) {
        static Outcome refused(String why) {
            return new Outcome(CommandResult.error(why), -1);
        }
    }

    /** The index of the server named {@code name}, or -1. */
    int indexOf(String name) {
        for (int i = 0; i < servers.size(); i++) {
            if (servers.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private String name(int i) {
        return servers.get(i).name();
    }

    // ------------------------------------------------------------------------------------------ switchover

    Outcome switchover(ReplicationGraph graph, int primary, String newName, String oldName) {
        return switchover(graph, primary, newName, oldName, false);
    }

    /**
     * {@code switchover} or, with {@code force}, {@code switchover-force}: errors while demoting the old primary
     * and a new primary that does not catch up within the time limit do not stop it (events the new primary
     * had not received are lost then); they are listed in the result.
     */
    Outcome switchover(ReplicationGraph graph, int primary, String newName, String oldName, boolean force) {
        Duration timeout = config.switchoverTimeout();
        String op = force ? "switchover-force" : "switchover";
        List<String> forced = new ArrayList<>();
        List<String> promotionProblems = new ArrayList<>();
        int oldIdx = primary;
        if (oldName != null && !oldName.isEmpty()) {
            oldIdx = indexOf(oldName);
            if (oldIdx < 0) {
                return Outcome.refused(op + ": '" + oldName + "' is not a server of this monitor");
            }
            if (oldIdx != primary) {
                return Outcome.refused(op + ": '" + oldName + "' is not the primary (the primary is "
                        + (primary < 0 ? "unknown" : name(primary)) + ")");
            }
        }
        if (oldIdx < 0) {
            return Outcome.refused(op + ": there is no primary to switch over from");
        }
        if (!graph.isRunning(oldIdx)) {
            return Outcome.refused(op + ": the primary " + name(oldIdx) + " is down; use failover");
        }
        String cycle = multiPrimaryGroup(graph, oldIdx);
        if (!cycle.isEmpty()) {
            return Outcome.refused(op + ": " + cycle);
        }
        int newIdx;
        if (newName != null && !newName.isEmpty()) {
            newIdx = indexOf(newName);
            if (newIdx < 0) {
                return Outcome.refused(op + ": '" + newName + "' is not a server of this monitor");
            }
            String why = whyNotPromotable(graph, newIdx, oldIdx, true);
            if (!why.isEmpty()) {
                return Outcome.refused(op + ": " + name(newIdx) + " cannot be promoted: " + why);
            }
        } else {
            newIdx = bestReplica(graph, oldIdx);
            if (newIdx < 0) {
                return Outcome.refused(op + ": no replica of " + name(oldIdx) + " can be promoted: "
                        + reasonsNoneQualifies(graph, oldIdx));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Server oldServer = servers.get(oldIdx);
        Server newServer = servers.get(newIdx);
        String target = "";
        List<ReplicationConnection> external = graph.externalSourcesOf(oldIdx);
        try (Connection oldC = connect(oldServer, deadline)) {
            progress.draining(oldIdx);
            drain(oldC, oldIdx, deadline);
            progress.demoting(oldIdx);
            try (Statement s = oldC.createStatement()) {
                for (ReplicationConnection c : external) {
                    s.execute("STOP SLAVE " + connectionName(c)); // no more events from outside: the position is final
                }
                s.execute("SET GLOBAL read_only=1");
                killWriters(s);
                s.execute("FLUSH LOGS"); // ends the binlog file: the position below is final
                handleEvents(s, false, oldIdx);
            }
            target = gtidBinlogPos(oldC);
            runSqlFile(oldC, config.demotionSqlFile());
        } catch (SQLException e) {
            if (!force) {
                undoDemotion(oldServer, external, deadline);
                return new Outcome(CommandResult.error(op + ": demoting " + name(oldIdx) + " failed: "
                        + e.getMessage()), -1);
            }
            forced.add("demoting " + name(oldIdx) + " failed (ignored): " + e.getMessage());
        }
        try (Connection newC = connect(newServer, deadline)) {
            boolean caughtUp = waitForGtid(newC, target, deadline);
            if (!caughtUp && force) {
                forced.add(name(newIdx) + " did not reach " + name(oldIdx) + "'s gtid_binlog_pos '" + target
                        + "' within switchover_timeout; promoted anyway");
            } else if (!caughtUp) {
                undoDemotion(oldServer, external, deadline);
                return new Outcome(CommandResult.error(op + ": " + name(newIdx) + " did not reach "
                        + name(oldIdx) + "'s gtid_binlog_pos '" + target + "' within switchover_timeout ("
                        + timeout + "); " + name(oldIdx) + " is writable again"), -1);
            }
            promote(newC);
            takeOverExternal(newC, newIdx, external, promotionProblems);
            progress.promoted(newIdx);
            try (Statement events = newC.createStatement()) {
                handleEvents(events, true, newIdx);
            }
            promotionSql(newC, newIdx, promotionProblems);
        } catch (SQLException e) {
            undoDemotion(oldServer, external, deadline);
            return new Outcome(CommandResult.error(op + ": promoting " + name(newIdx) + " failed: "
                    + e.getMessage() + "; " + name(oldIdx) + " is writable again"), -1);
        }
        List<String> problems = new ArrayList<>(promotionProblems);
        dropExternal(oldServer, oldIdx, external, deadline, problems);
        List<Integer> redirect = new ArrayList<>();
        redirect.add(oldIdx);
        for (ReplicationGraph.Edge edge : graph.replicasOf(oldIdx)) {
            if (edge.replica() != newIdx && graph.isRunning(edge.replica())) {
                redirect.add(edge.replica());
            }
        }
        redirectAll(redirect, newIdx, deadline, problems);
        Outcome done = finish(op, oldIdx, newIdx, problems);
        if (forced.isEmpty()) {
            return done;
        }
        String message = done.result().message() + " (ignored: " + String.join("; ", forced) + ")";
        return new Outcome(done.result().ok() ? CommandResult.ok(message) : CommandResult.error(message), newIdx);
    }

    // -------------------------------------------------------------------------------------------- failover

    Outcome failover(ReplicationGraph graph, int primary) {
        return failover(graph, primary, false);
    }

    /**
     * {@code failover-safe} ({@code auto_failover=safe}): the failover of {@link #failover(ReplicationGraph, int)},
     * refused when the replica it would promote has not received everything the primary had when the monitor
     * last saw it ({@code primaryLastGtid}, its {@code gtid_binlog_pos}): a failover that would clearly lose
     * transactions. The check is only as fresh as the monitor's last tick on the primary.
     */
    Outcome failoverSafe(ReplicationGraph graph, int primary, String primaryLastGtid) {
        if (primary >= 0 && !graph.isRunning(primary)) {
            int candidate = bestReplica(graph, primary);
            if (candidate >= 0) {
                String received = graph.edge(candidate, primary).map(e -> e.connection().gtidIoPos()).orElse("");
                String applied = graph.snapshot(candidate).gtidCurrentPos();
                if (!covers(received, primaryLastGtid) && !covers(applied, primaryLastGtid)) {
                    return Outcome.refused("failover-safe: " + name(candidate) + " has not received all the"
                            + " transactions of " + name(primary) + " (last seen at '" + primaryLastGtid + "'; "
                            + name(candidate) + " received '" + received + "', applied '" + applied
                            + "'): no failover, it would lose them");
                }
            }
        }
        return failover(graph, primary, false);
    }

    /**
     * Failover away from a primary that still answers but no longer takes writes (it failed the write test
     * {@code failcount} times): the same steps as {@link #failover(ReplicationGraph, int)}, without refusing
     * because the primary runs. The old primary is left as it is; the caller puts it in maintenance.
     */
    Outcome failoverFromUnwritable(ReplicationGraph graph, int primary) {
        return failover(graph, primary, true);
    }

    private Outcome failover(ReplicationGraph graph, int primary, boolean primaryUnwritable) {
        if (primary < 0) {
            return Outcome.refused("failover: there is no known primary to fail over from");
        }
        if (graph.isRunning(primary) && !primaryUnwritable) {
            return Outcome.refused("failover: the primary " + name(primary) + " is running; use switchover");
        }
        String cycle = multiPrimaryGroup(graph, primary);
        if (!cycle.isEmpty()) {
            return Outcome.refused("failover: " + cycle);
        }
        int newIdx = bestReplica(graph, primary);
        if (newIdx < 0) {
            return Outcome.refused("failover: no replica of " + name(primary) + " can be promoted: "
                    + reasonsNoneQualifies(graph, primary));
        }
        long deadline = System.nanoTime() + config.failoverTimeout().toNanos();
        List<String> promotionProblems = new ArrayList<>();
        ReplicationConnection link = graph.edge(newIdx, primary).orElseThrow().connection();
        try (Connection c = connect(servers.get(newIdx), deadline)) {
            try (Statement s = c.createStatement()) {
                s.execute("STOP SLAVE IO_THREAD"); // no more events from the (dead) primary
            }
            String received = ioPos(c, link.gtidIoPos());
            if (!waitForGtid(c, received, deadline)) {
                return new Outcome(CommandResult.error("failover: " + name(newIdx) + " did not apply its relay"
                        + " log up to '" + received + "' within failover_timeout (" + config.failoverTimeout()
                        + ")"), -1);
            }
            promote(c);
            takeOverExternal(c, newIdx, rememberedExternal(primary), promotionProblems);
            progress.promoted(newIdx);
            try (Statement events = c.createStatement()) {
                handleEvents(events, true, newIdx);
            }
            promotionSql(c, newIdx, promotionProblems);
        } catch (SQLException e) {
            return new Outcome(CommandResult.error("failover: promoting " + name(newIdx) + " failed: "
                    + e.getMessage()), -1);
        }
        List<String> problems = new ArrayList<>(promotionProblems);
        List<Integer> redirect = new ArrayList<>();
        for (ReplicationGraph.Edge edge : graph.replicasOf(primary)) {
            if (edge.replica() != newIdx && graph.isRunning(edge.replica())) {
                redirect.add(edge.replica());
            }
        }
        redirectAll(redirect, newIdx, deadline, problems);
        return finish("failover", primary, newIdx, problems);
    }

    // ---------------------------------------------------------------------------------------------- rejoin

    /** Why {@code server} needs no or cannot get a rejoin, or empty when it should be rejoined. */
    String whyNoRejoin(ReplicationGraph graph, int primary, int server) {
        if (primary < 0 || !graph.isRunning(primary)) {
            return "there is no running primary";
        }
        if (server == primary) {
            return name(server) + " is the primary";
        }
        if (!graph.isRunning(server)) {
            return name(server) + " is down";
        }
        List<ReplicationConnection> connections = graph.snapshot(server).connections();
        ReplicationGraph.Endpoint p = graph.endpoint(primary);
        for (ReplicationConnection c : connections) {
            if (p.matches(c.masterHost(), c.masterPort())) {
                return name(server) + " already replicates from the primary " + name(primary);
            }
        }
        for (ReplicationGraph.Edge edge : graph.sourcesOf(server)) {
            if (!config.enforceSimpleTopology()
                    && graph.runningReplicasBelow(primary).stream().anyMatch(e -> e.replica() == edge.source())) {
                return name(server) + " replicates from " + name(edge.source()) + ", a replica of the primary";
            }
        }
        String errant = errantGtids(graph.snapshot(server).gtidCurrentPos(),
                graph.snapshot(primary).gtidBinlogPos());
        if (!errant.isEmpty()) {
            return name(server) + " has transactions the primary " + name(primary) + " lacks (" + errant + ")";
        }
        return "";
    }

    Outcome rejoin(ReplicationGraph graph, int primary, String serverName) {
        int idx = indexOf(serverName);
        if (idx < 0) {
            return Outcome.refused("rejoin: '" + serverName + "' is not a server of this monitor");
        }
        String why = whyNoRejoin(graph, primary, idx);
        if (!why.isEmpty()) {
            return Outcome.refused("rejoin: " + why);
        }
        long deadline = System.nanoTime() + config.switchoverTimeout().toNanos();
        List<String> problems = new ArrayList<>();
        redirectAll(List.of(idx), primary, deadline, problems);
        if (!problems.isEmpty()) {
            return new Outcome(CommandResult.error("rejoin: " + String.join("; ", problems)), -1);
        }
        return new Outcome(CommandResult.ok("rejoin: " + name(idx) + " now replicates from " + name(primary)),
                primary);
    }

    /** Sets {@code read_only} of one server (the enforcement options). */
    Outcome setReadOnly(int server, boolean readOnly) {
        long deadline = System.nanoTime() + config.switchoverTimeout().toNanos();
        try (Connection c = connect(servers.get(server), deadline); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL read_only=" + (readOnly ? 1 : 0));
            return new Outcome(CommandResult.ok("read_only=" + (readOnly ? "ON" : "OFF") + " on " + name(server)),
                    -1);
        } catch (SQLException e) {
            return new Outcome(CommandResult.error("setting read_only on " + name(server) + " failed: "
                    + e.getMessage()), -1);
        }
    }

    /**
     * Leaves {@code server} standalone: its replication connections are stopped and deleted ({@code STOP ALL
     * SLAVES}, {@code RESET SLAVE ALL}). For {@code switchover old_primary_maint=1}, whose old primary is
     * kept out of the cluster (in maintenance) instead of replicating from the new one.
     */
    Outcome standalone(int server) {
        long deadline = System.nanoTime() + config.switchoverTimeout().toNanos();
        try (Connection c = connect(servers.get(server), deadline); Statement s = c.createStatement()) {
            s.execute("STOP ALL SLAVES");
            s.execute("RESET SLAVE ALL");
            return new Outcome(CommandResult.ok(name(server) + " replicates from nobody"), -1);
        } catch (SQLException e) {
            return new Outcome(CommandResult.error("stopping the replication of " + name(server) + " failed: "
                    + e.getMessage()), -1);
        }
    }

    // ----------------------------------------------------------------------------------- reset-replication

    /**
     * {@code reset-replication [NEW_PRIMARY]}: deletes the binary logs and the GTID history of every server
     * ({@code RESET MASTER}, {@code gtid_slave_pos=''}) and rebuilds replication from {@code NEW_PRIMARY}
     * (default: the current primary). Destructive, so it is refused unless every server runs and, once the
     * primary is read-only, every replica has applied all of its transactions: then no server holds data the
     * others lack and only the GTID numbering restarts.
     */
    Outcome resetReplication(ReplicationGraph graph, int primary, String newName) {
        int newIdx = primary;
        if (newName != null && !newName.isEmpty()) {
            newIdx = indexOf(newName);
            if (newIdx < 0) {
                return Outcome.refused("reset-replication: '" + newName + "' is not a server of this monitor");
            }
        }
        if (newIdx < 0) {
            return Outcome.refused("reset-replication: there is no primary; name the server to make the primary");
        }
        for (int i = 0; i < graph.size(); i++) {
            if (!graph.isRunning(i)) {
                return Outcome.refused("reset-replication: " + name(i) + " is down; every server must be running,"
                        + " or it would keep GTIDs the others no longer know");
            }
        }
        long deadline = System.nanoTime() + config.switchoverTimeout().toNanos();
        int source = primary >= 0 ? primary : newIdx;
        String target;
        try (Connection c = connect(servers.get(source), deadline); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL read_only=1");
            killWriters(s);
            target = gtidBinlogPos(c);
        } catch (SQLException e) {
            return new Outcome(CommandResult.error("reset-replication: freezing " + name(source) + " failed: "
                    + e.getMessage()), -1);
        }
        for (int i = 0; i < graph.size(); i++) {
            if (i == source) {
                continue;
            }
            try (Connection c = connect(servers.get(i), deadline)) {
                if (!waitForGtid(c, target, deadline)) {
                    undoReadOnly(servers.get(source), deadline);
                    return new Outcome(CommandResult.error("reset-replication: " + name(i) + " did not reach "
                            + name(source) + "'s gtid_binlog_pos '" + target + "' within switchover_timeout;"
                            + " nothing was reset and " + name(source) + " is writable again"), -1);
                }
                String errant = errantGtids(gtidCurrentPos(c), target);
                if (!errant.isEmpty()) {
                    undoReadOnly(servers.get(source), deadline);
                    return new Outcome(CommandResult.error("reset-replication: " + name(i) + " has transactions "
                            + name(source) + " lacks (" + errant + "); nothing was reset and " + name(source)
                            + " is writable again"), -1);
                }
            } catch (SQLException e) {
                undoReadOnly(servers.get(source), deadline);
                return new Outcome(CommandResult.error("reset-replication: checking " + name(i) + " failed: "
                        + e.getMessage() + "; nothing was reset"), -1);
            }
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < graph.size(); i++) {
            try (Connection c = connect(servers.get(i), deadline); Statement s = c.createStatement()) {
                s.execute("SET GLOBAL read_only=1");
                s.execute("STOP ALL SLAVES");
                s.execute("RESET SLAVE ALL");
                s.execute("RESET MASTER");
                s.execute("SET GLOBAL gtid_slave_pos=''");
            } catch (SQLException e) {
                problems.add("resetting " + name(i) + " failed: " + e.getMessage());
            }
        }
        try (Connection c = connect(servers.get(newIdx), deadline); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL read_only=0");
        } catch (SQLException e) {
            problems.add("making " + name(newIdx) + " writable failed: " + e.getMessage());
        }
        List<Integer> replicas = new ArrayList<>();
        for (int i = 0; i < graph.size(); i++) {
            if (i != newIdx) {
                replicas.add(i);
            }
        }
        redirectAll(replicas, newIdx, deadline, problems);
        String done = "reset-replication: GTIDs and binary logs reset; " + name(newIdx) + " is the primary and "
                + replicas.size() + " server(s) replicate from it";
        return problems.isEmpty() ? new Outcome(CommandResult.ok(done), newIdx)
                : new Outcome(CommandResult.error(done + ", but: " + String.join("; ", problems)), newIdx);
    }

    // ------------------------------------------------------------------------------------------- internals

    /**
     * {@code handle_events}: a promoted server enables the scheduled events that replication left
     * {@code SLAVESIDE_DISABLED}; a demoted primary turns its enabled events into {@code DISABLE ON SLAVE}.
     * Not binlogged ({@code sql_log_bin=0}): the change is local and adds no GTID. A failure (for example a
     * monitor user without the EVENT privilege) is logged and does not stop the operation.
     */
    private void handleEvents(Statement s, boolean promote, int server) {
        if (!config.handleEvents()) {
            return;
        }
        List<String> events = new ArrayList<>();
        try {
            try (ResultSet rs = s.executeQuery("SELECT EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS"
                    + " WHERE STATUS = '" + (promote ? "SLAVESIDE_DISABLED" : "ENABLED") + "'")) {
                while (rs.next()) {
                    events.add("`" + rs.getString(1).replace("`", "``") + "`.`" + rs.getString(2).replace("`", "``")
                            + "`");
                }
            }
            if (events.isEmpty()) {
                return;
            }
            s.execute("SET SESSION sql_log_bin=0");
            for (String event : events) {
                s.execute("ALTER EVENT " + event + (promote ? " ENABLE" : " DISABLE ON SLAVE"));
            }
            s.execute("SET SESSION sql_log_bin=1");
        } catch (SQLException e) {
            org.slf4j.LoggerFactory.getLogger(ClusterOperations.class).warn(
                    "handle_events on {}: {} of {} failed: {}", name(server), promote ? "enabling" : "disabling",
                    events, e.getMessage());
        }
    }

    /**
     * {@code promotion_sql_file} on a server already promoted: a failure is reported with the operation's
     * result but does not undo the promotion (the server is already writable and replicates from nobody).
     */
    private void promotionSql(Connection c, int server, List<String> problems) {
        try {
            runSqlFile(c, config.promotionSqlFile());
        } catch (SQLException e) {
            problems.add("promotion_sql_file on " + name(server) + " failed: " + e.getMessage());
        }
    }

    /**
     * Runs {@code promotion_sql_file} or {@code demotion_sql_file}: one statement per line; empty lines and
     * lines starting with {@code #} or {@code --} are skipped. A failing statement fails the operation, naming
     * the file and line.
     */
    static void runSqlFile(Connection c, String file) throws SQLException {
        if (file == null || file.isEmpty()) {
            return;
        }
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of(file));
        } catch (java.io.IOException e) {
            throw new SQLException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("--")) {
                    continue;
                }
                try {
                    s.execute(line);
                } catch (SQLException e) {
                    throw new SQLException(file + ":" + (i + 1) + ": " + e.getMessage(), e.getSQLState(),
                            e.getErrorCode(), e);
                }
            }
        }
    }

    private static String gtidCurrentPos(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@gtid_current_pos")) {
            rs.next();
            String v = rs.getString(1);
            return v == null ? "" : v;
        }
    }

    private Outcome finish(String op, int oldIdx, int newIdx, List<String> problems) {
        String done = op + ": " + name(newIdx) + " is the new primary (was " + name(oldIdx) + ")";
        if (problems.isEmpty()) {
            return new Outcome(CommandResult.ok(done), newIdx);
        }
        // the promotion happened: report the primary change, but as a failure so automatic ops pause
        return new Outcome(CommandResult.error(done + ", but: " + String.join("; ", problems)), newIdx);
    }

    /**
     * A reason to refuse switchover and failover when {@code primary} is in a multi-primary group (a replication
     * cycle): as MaxScale's, the operations need a simple topology. Empty when it is in none.
     */
    private String multiPrimaryGroup(ReplicationGraph graph, int primary) {
        int cycle = graph.cycleOf(primary);
        if (cycle == 0) {
            return "";
        }
        List<String> members = new ArrayList<>();
        for (int member : graph.cycleMembers(cycle)) {
            members.add(name(member));
        }
        return "the primary " + name(primary) + " is in a multi-primary group (" + String.join(", ", members)
                + " replicate from each other); switchover and failover need a simple topology: break the cycle"
                + " first";
    }

    /** Why {@code server} cannot become the primary instead of {@code oldPrimary}, or empty. */
    private String whyNotPromotable(ReplicationGraph graph, int server, int oldPrimary, boolean manual) {
        if (server == oldPrimary) {
            return "it is the primary";
        }
        if (!graph.isRunning(server)) {
            return "it is down";
        }
        if (!manual && config.serversNoPromotion().contains(name(server))) {
            return "it is in servers_no_promotion";
        }
        String disk = diskExhausted.apply(server);
        if (!manual && !disk.isEmpty()) {
            return "its disk space is exhausted (" + disk + ")";
        }
        var edge = graph.edge(server, oldPrimary);
        if (edge.isEmpty()) {
            return "it is not replicating from the primary " + name(oldPrimary);
        }
        if (!edge.get().connection().usesGtid()) {
            return "it does not replicate with GTID (Using_Gtid=No)";
        }
        // a replica with no GTID position at all is only suspect when the primary has GTID history to give it;
        // on a cluster where nothing was ever binlogged every position is empty and in sync
        if (edge.get().connection().gtidIoPos().isEmpty() && graph.snapshot(server).gtidCurrentPos().isEmpty()
                && !graph.snapshot(oldPrimary).gtidBinlogPos().isEmpty()) {
            return "it does not replicate with GTID";
        }
        if (!edge.get().connection().lastSqlError().isEmpty()) {
            return "its replication has an SQL error: " + edge.get().connection().lastSqlError();
        }
        return "";
    }

    private String reasonsNoneQualifies(ReplicationGraph graph, int oldPrimary) {
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < graph.size(); i++) {
            if (i != oldPrimary) {
                reasons.add(name(i) + ": " + whyNotPromotable(graph, i, oldPrimary, false));
            }
        }
        return reasons.isEmpty() ? "there are no other servers" : String.join("; ", reasons);
    }

    /** The most advanced promotable replica of {@code oldPrimary} (gtid_IO_pos, then gtid_current_pos). */
    private int bestReplica(ReplicationGraph graph, int oldPrimary) {
        int best = -1;
        for (int i = 0; i < graph.size(); i++) {
            if (!whyNotPromotable(graph, i, oldPrimary, false).isEmpty()) {
                continue;
            }
            if (best < 0 || compare(graph, i, best, oldPrimary) > 0) {
                best = i;
            }
        }
        return best;
    }

    private static int compare(ReplicationGraph graph, int a, int b, int source) {
        int io = Long.compare(total(graph.edge(a, source).orElseThrow().connection().gtidIoPos()),
                total(graph.edge(b, source).orElseThrow().connection().gtidIoPos()));
        if (io != 0) {
            return io;
        }
        return Long.compare(total(graph.snapshot(a).gtidCurrentPos()), total(graph.snapshot(b).gtidCurrentPos()));
    }

    private static long total(String list) {
        return GtidPosition.parse(list).sequenceSum();
    }

    /** Whether GTID list {@code have} is at or past {@code want} in every domain of {@code want}. */
    static boolean covers(String have, String want) {
        return GtidPosition.parse(have).covers(GtidPosition.parse(want));
    }

    /** The GTIDs of {@code replica} beyond what {@code primary} has, per domain; empty when none. */
    static String errantGtids(String replica, String primary) {
        List<String> errant = new ArrayList<>();
        for (GtidPosition.Gtid g : GtidPosition.parse(replica).beyond(GtidPosition.parse(primary))) {
            errant.add("domain " + g.domain() + " up to " + g.sequence());
        }
        return String.join(", ", errant);
    }

    private void redirectAll(List<Integer> replicas, int newPrimary, long deadline, List<String> problems) {
        Server target = servers.get(newPrimary);
        for (int r : replicas) {
            try (Connection c = connect(servers.get(r), deadline); Statement s = c.createStatement()) {
                s.execute("STOP ALL SLAVES");
                s.execute("RESET SLAVE ALL");
                s.execute("SET GLOBAL read_only=1");
                s.execute(changeMaster(target));
                s.execute("START SLAVE");
            } catch (SQLException e) {
                problems.add("redirecting " + name(r) + " failed: " + e.getMessage());
            }
        }
        for (int r : replicas) {
            String why = awaitReplicating(servers.get(r), deadline);
            if (!why.isEmpty()) {
                problems.add(name(r) + " does not replicate from " + name(newPrimary) + ": " + why);
            }
        }
    }

    /** CHANGE MASTER to {@code target}: by its {@code private_address} when it has one, else its address. */
    String changeMaster(Server target) {
        String privateAddress = target.params().get(PRIVATE_ADDRESS);
        return changeMaster("", privateAddress.isEmpty() ? target.address() : privateAddress, target.port());
    }

    private String changeMaster(String connection, String host, int port) {
        StringBuilder sql = new StringBuilder("CHANGE MASTER ")
                .append(connection.isEmpty() ? "" : "'" + quote(connection) + "' ")
                .append("TO MASTER_HOST='").append(quote(host))
                .append("', MASTER_PORT=").append(port)
                .append(", MASTER_USER='").append(quote(config.replicationUser()))
                .append("', MASTER_PASSWORD='").append(quote(config.replicationPassword()))
                .append("', MASTER_USE_GTID=current_pos, MASTER_CONNECT_RETRY=1");
        if (config.replicationMasterSsl()) {
            sql.append(", MASTER_SSL=1");
        }
        if (!config.replicationCustomOptions().isBlank()) {
            sql.append(", ").append(config.replicationCustomOptions());
        }
        return sql.toString();
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    /** {@code 'name'} of a replication connection for STOP/START SLAVE and CHANGE MASTER ('' is the default one). */
    private static String connectionName(ReplicationConnection c) {
        return "'" + quote(c.name()) + "'";
    }

    /** The primary whose external replication was remembered, and those connections. */
    private int externalOf = -1;
    private List<ReplicationConnection> externalOfPrimary = List.of();

    /**
     * Remembers, every tick the primary runs, its replication from servers outside the cluster: a failover
     * happens when it is down and its connections can no longer be read.
     */
    void rememberExternal(int primary, List<ReplicationConnection> external) {
        externalOf = primary;
        externalOfPrimary = List.copyOf(external);
    }

    private List<ReplicationConnection> rememberedExternal(int primary) {
        return primary == externalOf ? externalOfPrimary : List.of();
    }

    /**
     * The new primary takes over the old primary's replication from servers outside the cluster ("Slave of
     * External Server"), under the same connection names, with {@code replication_user}. A failure is a problem
     * of the result; the promotion stands.
     */
    private void takeOverExternal(Connection c, int newIdx, List<ReplicationConnection> external,
                                  List<String> problems) {
        for (ReplicationConnection ext : external) {
            try (Statement s = c.createStatement()) {
                s.execute(changeMaster(ext.name(), ext.masterHost(), ext.masterPort()));
                s.execute("START SLAVE " + connectionName(ext));
            } catch (SQLException e) {
                problems.add(name(newIdx) + " could not take over the replication from the external server "
                        + ext.source() + ": " + e.getMessage());
            }
        }
    }

    /** The demoted primary forgets its (stopped) replication from external servers: its new primary has it. */
    private void dropExternal(Server server, int idx, List<ReplicationConnection> external, long deadline,
                              List<String> problems) {
        if (external.isEmpty()) {
            return;
        }
        try (Connection c = connect(server, deadline); Statement s = c.createStatement()) {
            for (ReplicationConnection ext : external) {
                s.execute("STOP SLAVE " + connectionName(ext));
                s.execute("RESET SLAVE " + connectionName(ext) + " ALL");
            }
        } catch (SQLException e) {
            problems.add("removing the external replication of " + name(idx) + " failed: " + e.getMessage());
        }
    }

    /** A switchover that fails: the old primary is writable again and replicates from its external sources. */
    private void undoDemotion(Server server, List<ReplicationConnection> external, long deadline) {
        undoReadOnly(server, deadline);
        if (external.isEmpty()) {
            return;
        }
        try (Connection c = connect(server, Math.max(deadline, System.nanoTime() + 2_000_000_000L));
             Statement s = c.createStatement()) {
            for (ReplicationConnection ext : external) {
                s.execute("START SLAVE " + connectionName(ext));
            }
        } catch (SQLException ignored) {
            // reported by the caller's error; the external replication stays stopped
        }
    }

    /**
     * Stops and forgets every replication connection (a plain {@code RESET SLAVE ALL} forgets only the default
     * one; a named one left behind would start again when the server restarts), then makes the server writable.
     */
    private static void promote(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("STOP ALL SLAVES");
            List<String> names = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW ALL SLAVES STATUS")) {
                while (rs.next()) {
                    names.add(rs.getString("Connection_name"));
                }
            }
            s.execute("RESET SLAVE ALL");
            for (String name : names) {
                if (name != null && !name.isEmpty()) {
                    s.execute("RESET SLAVE '" + quote(name) + "' ALL");
                }
            }
            s.execute("SET GLOBAL read_only=0");
        }
    }

    /** How long a switchover waits at most for the old primary's open transactions to end before read_only. */
    static final long DRAIN_LIMIT_MILLIS = 2000;
    /**
     * The interval between two looks at {@code INNODB_TRX}. More than 100 ms: InnoDB refreshes the cache behind
     * that table only when it was last read more than 100 ms ago, so faster polling reads the same stale rows
     * forever (the transactions seem not to progress).
     */
    private static final long DRAIN_POLL_MILLIS = 150;

    /**
     * The drain of a switchover, before the old primary turns read-only. Routers were told (the old primary is
     * published as a Master with {@code readOnly}) to start no new transaction or autocommit write on it while
     * the transactions open on it go on there; this waits until the server has no open InnoDB transaction of any
     * other connection on two looks in a row (a BEGIN sent just before the routers saw the drain may start one
     * after the first look), for at most
     * {@value #DRAIN_LIMIT_MILLIS} ms (and within the switchover's time limit). Without it, read_only cuts the
     * transactions in the middle and readwritesplit must replay them on the new primary, where the rows they had
     * read may have been changed meanwhile by the transactions that waited for the new primary — the replay then
     * fails its checksum and the client loses its session. A transaction still open at the limit (a client
     * idle inside a transaction, or one not going through Sluice) is cut by read_only as without a drain.
     */
    private void drain(Connection c, int server, long deadline) throws SQLException {
        long start = System.nanoTime();
        long limit = Math.min(deadline, start + DRAIN_LIMIT_MILLIS * 1_000_000);
        boolean emptyBefore = false;
        int open = -1;
        try (Statement s = c.createStatement()) {
            while (true) {
                open = openTransactions(s);
                if (open == 0 && emptyBefore) {
                    break;
                }
                emptyBefore = open == 0;
                if (System.nanoTime() - limit >= 0) {
                    break;
                }
                try {
                    Thread.sleep(DRAIN_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        if (open > 0) {
            org.slf4j.LoggerFactory.getLogger(ClusterOperations.class).warn("switchover: {} still has {} open "
                    + "transaction(s) after a drain of {} ms; read_only cuts them: {}", name(server), open, tookMs,
                    describeOpenTransactions(c));
        } else {
            org.slf4j.LoggerFactory.getLogger(ClusterOperations.class).info("switchover: {} drained in {} ms",
                    name(server), tookMs);
        }
    }

    /** The open transactions for the log: connection id, InnoDB state, what the connection does. */
    private static String describeOpenTransactions(Connection c) {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT T.trx_mysql_thread_id,"
                + " CONCAT(T.trx_state, ' ro=', T.trx_is_read_only, ' mod=', T.trx_rows_modified, ' locks=', T.trx_lock_structs), T.trx_started, L.USER, L.COMMAND, L.TIME, L.STATE, LEFT(L.INFO, 60)"
                + " FROM information_schema.INNODB_TRX T LEFT JOIN information_schema.PROCESSLIST L"
                + " ON L.ID = T.trx_mysql_thread_id WHERE T.trx_mysql_thread_id <> CONNECTION_ID()")) {
            while (rs.next()) {
                out.add("connection " + rs.getLong(1) + " (" + rs.getString(4) + ", " + rs.getString(5) + " "
                        + rs.getLong(6) + " s, " + rs.getString(2) + " since " + rs.getString(3)
                        + (rs.getString(7) == null || rs.getString(7).isEmpty() ? "" : ", " + rs.getString(7))
                        + (rs.getString(8) == null ? "" : ": " + rs.getString(8)) + ")");
            }
        } catch (SQLException e) {
            return "(not listed: " + e.getMessage() + ")";
        }
        return String.join("; ", out);
    }

    /** The InnoDB transactions open on the server, but this connection's. */
    private static int openTransactions(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                + " WHERE trx_mysql_thread_id <> CONNECTION_ID()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Kills the connections that could still write through read_only: those of accounts with SUPER or READ_ONLY
     * ADMIN (as MaxScale does), but not this one, the replication dump threads, the server's own threads or the
     * cooperative monitoring locks' sessions. Other clients, Sluice's own backend connections among them, keep
     * their connections: read_only rejects their writes (1290), which proves a write was not applied, so
     * readwritesplit can send it again to the new primary.
     */
    private static void killWriters(Statement s) throws SQLException {
        List<Long> ids = new ArrayList<>();
        // USER_PRIVILEGES lists every account's global privileges to a monitor user that may read mysql.*, only
        // its own to one that may not (then only the monitor user's other connections are killed)
        try (ResultSet rs = s.executeQuery("SELECT L.ID FROM information_schema.PROCESSLIST L"
                + " WHERE L.ID <> CONNECTION_ID()"
                + " AND L.COMMAND NOT IN ('Binlog Dump', 'Daemon', 'Slave_IO', 'Slave_SQL', 'Slave_worker')"
                + " AND L.USER NOT IN ('system user', 'event_scheduler', 'unauthenticated user')"
                + " AND EXISTS (SELECT 1 FROM information_schema.USER_PRIVILEGES P"
                + " WHERE P.PRIVILEGE_TYPE IN ('SUPER', 'READ_ONLY ADMIN')"
                + " AND P.GRANTEE LIKE CONCAT('''', L.USER, '''@%'))"
                // the cooperative monitoring locks' sessions write nothing; killing them would hand the locks over
                + " AND L.ID <> COALESCE(IS_USED_LOCK('" + CooperativeLocks.SERVER_LOCK + "'), 0)"
                + " AND L.ID <> COALESCE(IS_USED_LOCK('" + CooperativeLocks.MASTER_LOCK + "'), 0)")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        for (long id : ids) {
            try {
                s.execute("KILL CONNECTION " + id);
            } catch (SQLException e) {
                if (e.getErrorCode() != 1094) { // ER_NO_SUCH_THREAD: it ended meanwhile
                    throw e;
                }
            }
        }
    }

    private static String gtidBinlogPos(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            String v = rs.getString(1);
            return v == null ? "" : v;
        }
    }

    /** The replica's current Gtid_IO_Pos of its default connection, or {@code fallback}. */
    private static String ioPos(Connection c, String fallback) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            if (rs.next()) {
                String v = rs.getString("Gtid_IO_Pos");
                return v == null ? fallback : v;
            }
            return fallback;
        }
    }

    /**
     * Waits until the server has {@code position}; true when it was reached before the deadline. A server
     * whose {@code gtid_current_pos} already covers it (for example a former primary that wrote those
     * transactions itself, which are in its binlog but not in its {@code gtid_slave_pos}) has it at once;
     * otherwise {@code MASTER_GTID_WAIT}, which watches {@code gtid_slave_pos}, waits for the replication.
     */
    private static boolean waitForGtid(Connection c, String position, long deadline) throws SQLException {
        if (position.isEmpty() || covers(gtidCurrentPos(c), position)) {
            return true;
        }
        double seconds = Math.max(0.1, (deadline - System.nanoTime()) / 1e9);
        try (PreparedStatement ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
            ps.setString(1, position);
            ps.setDouble(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 0;
            }
        }
    }

    /** Waits until the server's IO and SQL threads run; empty on success, else the last state seen. */
    private String awaitReplicating(Server server, long deadline) {
        String last = "no replication status";
        do {
            try (Connection c = connect(server, deadline); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                if (rs.next()) {
                    String io = rs.getString("Slave_IO_Running");
                    String sql = rs.getString("Slave_SQL_Running");
                    if ("Yes".equals(io) && "Yes".equals(sql)) {
                        return "";
                    }
                    last = "IO " + io + ", SQL " + sql + " " + rs.getString("Last_IO_Error") + " "
                            + rs.getString("Last_SQL_Error");
                }
            } catch (SQLException e) {
                last = e.getMessage();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        } while (System.nanoTime() < deadline);
        return last.trim();
    }

    private void undoReadOnly(Server server, long deadline) {
        try (Connection c = connect(server, Math.max(deadline, System.nanoTime() + 2_000_000_000L));
             Statement s = c.createStatement()) {
            s.execute("SET GLOBAL read_only=0");
        } catch (SQLException ignored) {
            // reported by the caller's error; the server stays read-only
        }
    }

    private Connection connect(Server server, long deadline) throws SQLException {
        long remainingMs = Math.max(1000, (deadline - System.nanoTime()) / 1_000_000);
        return ServerProbe.open(server, config, Math.min(remainingMs, config.connectTimeout().toMillis()),
                remainingMs + 1000);
    }
}
