package dev.sluice.modules.galeramon;

import dev.sluice.api.config.Param;
import dev.sluice.api.monitor.Monitor;
import dev.sluice.api.monitor.MonitorContext;
import dev.sluice.api.monitor.MonitoredServer;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code galeramon} monitor: on its own thread, every {@code monitor_interval}, it reads the wsrep state of
 * every node ({@link GaleraProbe}), decides the roles ({@link GaleraRoles}) and publishes one
 * {@link ServerStatus} per server; with {@code set_donor_nodes} it then sets {@code wsrep_sst_donor} on the
 * Slave nodes. Nodes are read one after the other; a node that does not answer costs at most
 * {@code backend_connect_timeout} (+ {@code backend_read_timeout}).
 *
 * <p>Threads: {@link #start()} and {@link #stop()} are called by the main worker; everything else runs on the
 * monitor thread, whose state is plain fields. {@link #hasTicked()} and {@link #diagnostics()} read volatile
 * snapshots written by the monitor thread.
 */
public final class GaleraMonitor implements Monitor {

    private static final Logger log = LoggerFactory.getLogger(GaleraMonitor.class);
    /** The servers' {@code priority}, declared by the runtime's server spec; read here by name. */
    private static final Param<Long> PRIORITY = Param.integer("priority", 0, "Master election priority.");

    private final MonitorContext context;
    private final GaleraMonitorConfig config;
    private final List<MonitoredServer> servers;
    private final Object wakeup = new Object();

    /** Written by the main worker (start/stop). */
    private volatile boolean stopping;
    private volatile Thread thread;

    /** Written by the monitor thread, read by anyone. */
    private volatile boolean ticked;
    private volatile Map<String, Object> diagnostics = Map.of();

    // ---- monitor thread only ----
    private final List<GaleraProbe> probes = new ArrayList<>();
    private final String[] lastState;
    private int master = -1;
    private long tickCount;
    private boolean noMembersLogged;

    public GaleraMonitor(MonitorContext context) {
        this.context = context;
        this.config = GaleraMonitorConfig.from(context.params());
        this.servers = List.copyOf(context.servers());
        this.lastState = new String[servers.size()];
        java.util.Arrays.fill(lastState, "");
    }

    @Override
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        stopping = false;
        for (MonitoredServer s : servers) {
            probes.add(new GaleraProbe(s.server(), config.settings()));
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
            // a tick in progress ends within the JDBC timeouts of its servers
            long bound = config.settings().interval().toMillis() + servers.size()
                    * (config.settings().connectTimeout().toMillis() + config.settings().readTimeout().toMillis()) * 2;
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
        long intervalNanos = config.settings().interval().toNanos();
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
            probes.forEach(GaleraProbe::close);
            probes.clear();
        }
    }

    /** One round: read, decide, publish. Package-private so that tests can drive ticks by hand. */
    void tick() {
        int n = servers.size();
        List<GaleraNodeState> nodes = new ArrayList<>(n);
        long[] priorities = new long[n];
        boolean[] maintenance = new boolean[n];
        for (int i = 0; i < n; i++) {
            nodes.add(probes.get(i).probe());
            priorities[i] = servers.get(i).server().params().get(PRIORITY);
            maintenance[i] = servers.get(i).server().status().is(StatusBit.MAINTENANCE);
        }
        GaleraRoles.Decision decision = GaleraRoles.decide(nodes, priorities, maintenance, master, config);
        if (decision.master() != master) {
            log.info("monitor {}: master {} -> {}", context.name(), name(master), name(decision.master()));
        }
        master = decision.master();
        publish(nodes, decision);
        logMembership(decision);
        if (config.setDonorNodes()) {
            setDonorNodes(nodes, decision, priorities);
        }
        tickCount++;
        diagnostics = describe(nodes, decision);
        ticked = true;
    }

    private void publish(List<GaleraNodeState> nodes, GaleraRoles.Decision decision) {
        for (int i = 0; i < nodes.size(); i++) {
            GaleraNodeState s = nodes.get(i);
            ServerStatus status = new ServerStatus(decision.bits()[i], decision.lag()[i], s.serverId(), s.readOnly(),
                    s.gtidBinlogPos(), s.gtidCurrentPos(), s.version(), decision.details()[i]);
            servers.get(i).publish(status);
            String state = status.stateString();
            if (!state.equals(lastState[i])) {
                log.info("monitor {}: server {} is now {}{}", context.name(), name(i), state,
                        status.detail().isEmpty() ? "" : " (" + status.detail() + ")");
                lastState[i] = state;
            }
        }
    }

    private void logMembership(GaleraRoles.Decision decision) {
        boolean any = false;
        for (int i = 0; i < servers.size(); i++) {
            any |= decision.synced(i);
        }
        if (!any && !noMembersLogged) {
            log.error("monitor {}: there are no cluster members", context.name());
            noMembersLogged = true;
        } else if (any && noMembersLogged) {
            log.info("monitor {}: found cluster members", context.name());
            noMembersLogged = false;
        }
    }

    /**
     * {@code set_donor_nodes}: each Slave node gets {@code wsrep_sst_donor} = the Slave nodes' names in
     * {@link GaleraRoles#donorOrder} order. Written only where it differs from the node's current value.
     */
    private void setDonorNodes(List<GaleraNodeState> nodes, GaleraRoles.Decision decision, long[] priorities) {
        long members = java.util.stream.IntStream.range(0, nodes.size()).filter(decision::synced).count();
        if (members <= 1) {
            return;
        }
        List<Integer> order = GaleraRoles.donorOrder(nodes, decision, priorities, config);
        String list = order.stream().map(i -> nodes.get(i).nodeName()).collect(Collectors.joining(","));
        for (int i : order) {
            if (list.equals(nodes.get(i).sstDonor())) {
                continue;
            }
            try {
                probes.get(i).setSstDonor(list);
                log.info("monitor {}: wsrep_sst_donor of {} set to '{}'", context.name(), name(i), list);
            } catch (SQLException e) {
                log.warn("monitor {}: cannot set wsrep_sst_donor on {} (the monitor user needs SUPER): {}",
                        context.name(), name(i), e.getMessage());
            }
        }
    }

    private String name(int index) {
        return index < 0 ? "(none)" : servers.get(index).server().name();
    }

    private Map<String, Object> describe(List<GaleraNodeState> nodes, GaleraRoles.Decision decision) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("master", master < 0 ? null : name(master));
        out.put("ticks", tickCount);
        out.put("disable_master_failback", config.disableMasterFailback());
        out.put("disable_master_role_setting", config.disableMasterRoleSetting());
        out.put("root_node_as_master", config.rootNodeAsMaster());
        out.put("use_priority", config.usePriority());
        out.put("set_donor_nodes", config.setDonorNodes());
        out.put("available_when_donor", config.availableWhenDonor());
        if (!decision.clusterUuid().isEmpty()) {
            out.put("cluster_uuid", decision.clusterUuid());
            out.put("cluster_size", decision.clusterSize());
        }
        List<Map<String, Object>> info = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            GaleraNodeState s = nodes.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name(i));
            m.put("state", new ServerStatus(decision.bits()[i], -1, -1, false, "", "", "", "").stateString());
            m.put("state_details", decision.details()[i]);
            m.put("gtid_current_pos", s.gtidCurrentPos());
            m.put("gtid_binlog_pos", s.gtidBinlogPos());
            m.put("read_only", s.readOnly());
            m.put("server_id", s.serverId());
            m.put("master_id", s.masterServerId());
            m.put("node_name", s.nodeName());
            m.put("local_index", s.localIndex());
            m.put("local_state", s.localState());
            m.put("local_state_comment", s.stateComment());
            m.put("cluster_uuid", s.clusterUuid());
            m.put("cluster_size", s.clusterSize());
            m.put("cluster_status", s.clusterStatus());
            m.put("sst_donor", s.sstDonor());
            info.add(m);
        }
        out.put("server_info", info);
        return out;
    }
}
