package dev.sluice.modules.mariadbmon;

import dev.sluice.api.monitor.Monitor;
import dev.sluice.api.monitor.MonitorContext;
import dev.sluice.api.monitor.MonitoredServer;
import dev.sluice.api.server.ServerStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
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
 * <p>Threads: {@link #start()} and {@link #stop()} are called by the main worker; everything else runs on
 * the monitor thread, whose state is plain fields. {@link #hasTicked()} and {@link #diagnostics()} read
 * volatile snapshots written by the monitor thread.
 */
public final class MariaDbMonitor implements Monitor {

    private static final Logger log = LoggerFactory.getLogger(MariaDbMonitor.class);

    private final MonitorContext context;
    private final MariaDbMonitorConfig config;
    private final List<MonitoredServer> servers;
    private final List<ReplicationGraph.Endpoint> endpoints;
    private final PrimarySelector selector;
    private final Object wakeup = new Object();

    /** Written by the main worker (start/stop). */
    private volatile boolean stopping;
    private Thread thread;

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
                } catch (RuntimeException e) {
                    log.warn("monitor {}: tick failed", context.name(), e);
                }
                long sleepNanos = intervalNanos - (System.nanoTime() - started);
                if (sleepNanos > 0 && !stopping) {
                    synchronized (wakeup) {
                        if (!stopping) {
                            TimeUnit.NANOSECONDS.timedWait(wakeup, sleepNanos);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            probes.forEach(ServerProbe::close);
            probes.clear();
        }
    }

    /** One round: read, decide, publish. Package-private so tests can drive ticks by hand. */
    void tick() {
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
        ReplicationGraph graph = ReplicationGraph.build(endpoints, snapshots, config.assumeUniqueHostnames());
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
