package dev.sluice.modules.mariadbmon;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamValues;
import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's {@code script} and {@code events}: when a server's state changes between two ticks, the
 * event is named as MaxScale names it ({@link #event}) and, when it is in {@code events}, {@code script} is run
 * with MaxScale's substitutions: {@code $INITIATOR} ({@code [host]:port} of the server that changed),
 * {@code $EVENT}, {@code $LIST} (every server), {@code $NODELIST} (the running ones), {@code $MASTERLIST},
 * {@code $SLAVELIST}, {@code $PARENT} (the initiator's primary), {@code $CHILDREN} (its replicas) and
 * {@code $CREDENTIALS} ({@code user:password} of the monitor).
 *
 * <p>The command line is split on spaces before the substitution, so a substituted list stays one argument;
 * no shell is involved. Scripts run one after the other on their own thread, so a slow script does not delay
 * failure detection; one that runs longer than {@code script_timeout} is terminated, then killed.
 */
final class MonitorScript implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MonitorScript.class);

    // common monitor parameters, declared by the runtime; read here by name
    private static final Param<String> SCRIPT = Param.string("script", "", "Script.");
    private static final Param<Duration> SCRIPT_TIMEOUT = Param.duration("script_timeout", Duration.ofSeconds(90),
            "Script timeout.");
    private static final List<String> EVENTS_ALL = List.of("master_down", "master_up", "slave_down", "slave_up",
            "server_down", "server_up", "lost_master", "lost_slave", "new_master", "new_slave");
    private static final Param<List<String>> EVENTS = Param.enumList("events", EVENTS_ALL, EVENTS_ALL, "Events.");

    private final String monitorName;
    private final String command;
    private final Duration timeout;
    private final List<String> events;
    private final String credentials;
    private ExecutorService executor;

    MonitorScript(String monitorName, ParamValues params, String credentials) {
        this.monitorName = monitorName;
        this.command = params.get(SCRIPT).trim();
        this.timeout = params.get(SCRIPT_TIMEOUT);
        this.events = List.copyOf(params.get(EVENTS));
        this.credentials = credentials;
    }

    /**
     * MaxScale's name of a state change, or empty when nothing an event describes changed. A server that went
     * down is {@code master_down}/{@code slave_down}/{@code server_down} by its role before; one that came up
     * is {@code master_up}/{@code slave_up}/{@code server_up} by its role after; a running server that gained
     * or lost a role is {@code new_master}, {@code new_slave}, {@code lost_master} or {@code lost_slave}.
     */
    /**
     * {@code script_max_replication_lag}: {@code rlag_above} when a server's known replication lag crosses above
     * {@code limit}, {@code rlag_below} when it crosses back (also the first time a lag is known, as MaxScale
     * does: the state starts undecided). {@code wasAbove} is the previous state (null: undecided); an unknown lag
     * (-1) changes nothing. Returns the event, or empty.
     */
    static Optional<String> lagEvent(Boolean wasAbove, long lag, long limit) {
        if (limit < 0 || lag < 0) {
            return Optional.empty();
        }
        boolean above = lag > limit;
        if (wasAbove != null && wasAbove == above) {
            return Optional.empty();
        }
        return Optional.of(above ? "rlag_above" : "rlag_below");
    }

    static Optional<String> event(ServerStatus before, ServerStatus after) {
        if (before.isRunning() && !after.isRunning()) {
            return Optional.of(before.isMaster() ? "master_down" : before.isSlave() ? "slave_down" : "server_down");
        }
        if (!before.isRunning() && after.isRunning()) {
            return Optional.of(after.isMaster() ? "master_up" : after.isSlave() ? "slave_up" : "server_up");
        }
        if (!after.isRunning()) {
            return Optional.empty();
        }
        if (!before.isMaster() && after.isMaster()) {
            return Optional.of("new_master");
        }
        if (!before.isSlave() && after.isSlave()) {
            return Optional.of("new_slave");
        }
        if (before.isMaster() && !after.isMaster()) {
            return Optional.of("lost_master");
        }
        if (before.isSlave() && !after.isSlave()) {
            return Optional.of("lost_slave");
        }
        return Optional.empty();
    }

    /** The argument vector of one run: the command split on spaces, each word substituted. */
    List<String> argv(String event, int initiator, List<Server> servers, List<ServerStatus> statuses,
                      int primary) {
        List<String> out = new ArrayList<>();
        for (String word : command.split("\\s+")) {
            out.add(substitute(word, event, initiator, servers, statuses, primary, credentials));
        }
        return out;
    }

    static String substitute(String word, String event, int initiator, List<Server> servers,
                             List<ServerStatus> statuses, int primary, String credentials) {
        if (!word.contains("$")) {
            return word;
        }
        List<String> all = new ArrayList<>();
        List<String> running = new ArrayList<>();
        List<String> masters = new ArrayList<>();
        List<String> slaves = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            String hp = hostPort(servers.get(i));
            all.add(hp);
            ServerStatus st = statuses.get(i);
            if (st.isRunning()) {
                running.add(hp);
            }
            if (st.isMaster()) {
                masters.add(hp);
            }
            if (st.isSlave()) {
                slaves.add(hp);
            }
        }
        boolean initiatorIsPrimary = initiator == primary;
        String parent = primary >= 0 && !initiatorIsPrimary && statuses.get(initiator).isSlave()
                ? hostPort(servers.get(primary)) : "";
        String children = initiatorIsPrimary ? String.join(",", slaves) : "";
        // longest names first: $NODELIST before $LIST
        return word.replace("$INITIATOR", hostPort(servers.get(initiator)))
                .replace("$EVENT", event)
                .replace("$NODELIST", String.join(",", running))
                .replace("$MASTERLIST", String.join(",", masters))
                .replace("$SLAVELIST", String.join(",", slaves))
                .replace("$LIST", String.join(",", all))
                .replace("$PARENT", parent)
                .replace("$CHILDREN", children)
                .replace("$CREDENTIALS", credentials);
    }

    private static String hostPort(Server s) {
        return "[" + s.address() + "]:" + s.port();
    }

    boolean enabled() {
        return !command.isEmpty();
    }

    /** Launches the script for {@code event} of server {@code initiator} when the event is selected. */
    void fire(String event, int initiator, List<Server> servers, List<ServerStatus> statuses, int primary) {
        if (!events.contains(event)) {
            return;
        }
        fireCustom(event, initiator, servers, statuses, primary);
    }

    /**
     * Launches the script for a custom event ({@code rlag_above}, {@code rlag_below}): custom events are enabled by
     * their own parameter and ignore {@code events}, as in MaxScale.
     */
    void fireCustom(String event, int initiator, List<Server> servers, List<ServerStatus> statuses, int primary) {
        if (!enabled()) {
            return;
        }
        List<String> argv = argv(event, initiator, servers, statuses, primary);
        synchronized (this) {
            if (executor == null) {
                executor = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "monitor-script-" + monitorName);
                    t.setDaemon(true);
                    return t;
                });
            }
            executor.execute(() -> run(argv));
        }
    }

    private void run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(new File("/dev/null")).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroy();
                if (!p.waitFor(1, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                log.warn("monitor {}: script {} ran longer than script_timeout ({}) and was stopped", monitorName,
                        argv.get(0), timeout);
                return;
            }
            if (p.exitValue() != 0) {
                log.warn("monitor {}: script {} ({}) exited with {}", monitorName, argv.get(0), argv.size() > 2 ? argv.get(2) : "", p.exitValue());
            } else {
                log.info("monitor {}: script {} ran", monitorName, argv.get(0));
            }
        } catch (java.io.IOException e) {
            log.warn("monitor {}: script {} could not be started: {}", monitorName, argv.get(0), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdown();
            executor = null;
        }
    }
}
