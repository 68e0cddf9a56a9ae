package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.core.Lifecycles;
import dev.sluice.server.core.Lifecycles.Kind;
import dev.sluice.testkit.FreePorts;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lifecycle stress test of issue 5: 200 clients connect, run {@code SELECT @@port, n} and disconnect in a
 * loop while one thread creates, alters, links, unlinks and destroys servers, services, listeners and
 * monitors through the REST API as fast as it can. Half the clients use a listener that is never touched
 * (every query must succeed there), half use the listeners being created and destroyed (a clean error while
 * connecting is fine there; once connected, a session must answer every query right, whatever happens to the
 * objects; a hang is never fine).
 *
 * <p>At the end: no hang, no wrong answer, every object created was released exactly once, the backends'
 * connections of the proxy's user return to the pool floor (zero: the static servers keep no pool, and the
 * pools of the destroyed servers must have been closed), and Netty's leak detector found nothing.
 * {@code -Dsluice.stress.seconds} sets the length (60 s by default, 600 under {@code -Psoak}).
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class RuntimeChangesStressIT {
    static MariaDbTopology topology;

    private static final int CLIENTS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The listeners of dynamic services clients may try, by name → port; written by the mutator. */
    private final Map<String, Integer> dynamicPorts = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong stableOk = new AtomicLong();
    private final AtomicLong dynamicOk = new AtomicLong();
    private final AtomicLong cleanErrors = new AtomicLong();
    /** Clean errors by their message's start, printed at the end so a run shows what the clients saw. */
    private final Map<String, AtomicLong> errorKinds = new java.util.concurrent.ConcurrentHashMap<>();
    /** What fails the test: wrong answers, hangs, errors on the untouched listener. */
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    @Test
    void clientsSurviveObjectsCreatedAlteredAndDestroyedUnderThem() throws Exception {
        long seconds = Long.getLong("sluice.stress.seconds", 60);
        int adminPort = FreePorts.allocate();
        String cnf = SluiceFixture.baseConfig(topology, "", true)
                .replaceFirst("\\[maxscale\\]\n", "[maxscale]\nadmin_port=" + adminPort + "\n")
                + SluiceFixture.service("Stable", "master", "db1", "Stable-Listener", "");
        Set<Integer> nodePorts = topology.nodes().stream().map(MariaDbNode::port).collect(Collectors.toSet());
        int primaryPort = topology.primary().port();
        Map<Kind, Integer> staticObjects = new EnumMap<>(Map.of(Kind.SERVER, 3, Kind.SERVICE, 1, Kind.LISTENER, 1,
                Kind.MONITOR, 1));
        Lifecycles lifecycles;
        long cycles;
        try (SluiceFixture sluice = SluiceFixture.start(topology, cnf)) {
            lifecycles = sluice.server.lifecycles();
            AdminRest rest = new AdminRest(sluice.server.adminPort());
            int stablePort = sluice.port("Stable-Listener");
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int i = 0; i < CLIENTS; i++) {
                boolean stable = i % 2 == 0;
                clients.submit(() -> clientLoop(stable, stablePort, primaryPort, nodePorts));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            Mutator mutator = new Mutator(rest, new ArrayList<>(nodePorts));
            try {
                while (System.nanoTime() < deadline && problems.isEmpty()) {
                    mutator.cycle();
                }
            } finally {
                running.set(false);
                clients.shutdown();
            }
            cycles = mutator.cycles;
            assertThat(clients.awaitTermination(120, TimeUnit.SECONDS)).as("every client loop ended (no hang)").isTrue();
            mutator.destroyAll();
            assertThat(problems).as("wrong answers, hangs, or errors on the untouched listener").isEmpty();
            assertThat(cycles).as("mutation cycles").isGreaterThan(5);
            assertThat(stableOk.get()).as("queries answered on the untouched listener").isGreaterThan(100);
            assertThat(dynamicOk.get()).as("queries answered on runtime-created listeners").isGreaterThan(20);

            // every dynamic object is gone from the registries, and (no session is left) released exactly once
            assertThat(SluiceFixture.eventually(Duration.ofSeconds(30), () -> {
                for (Kind k : Kind.values()) {
                    if (lifecycles.createdCount(k) - lifecycles.releasedCount(k) != staticObjects.get(k)) {
                        return false;
                    }
                }
                return true;
            })).as("dynamic objects released: %s", lifecycles).isTrue();
            assertThat(sluice.server.sessions().size()).isZero();
            // the static servers keep no pool and the destroyed servers' pools were closed: nothing is left
            for (MariaDbNode node : topology.nodes()) {
                assertThat(SluiceFixture.eventually(Duration.ofSeconds(30),
                        () -> SluiceFixture.processCount(node, MariaDbTopology.APP_USER) == 0))
                        .as("backend connections of %s on %s back to the pool floor (0), now %d",
                                MariaDbTopology.APP_USER, node, SluiceFixture.processCount(node, MariaDbTopology.APP_USER))
                        .isTrue();
            }
        }
        for (Kind k : Kind.values()) {
            assertThat(lifecycles.releasedCount(k)).as("%s: every object released exactly once: %s", k, lifecycles)
                    .isEqualTo(lifecycles.createdCount(k));
        }
        System.out.printf("RuntimeChangesStressIT: %d s, %d mutation cycles, %d stable and %d dynamic queries, "
                + "%d clean connection errors, lifecycles %s%n", seconds, cycles, stableOk.get(), dynamicOk.get(),
                cleanErrors.get(), lifecycles);
        errorKinds.forEach((kind, count) -> System.out.printf("  %6d × %s%n", count.get(), kind));
    }

    private void clientLoop(boolean stable, int stablePort, int primaryPort, Set<Integer> nodePorts) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running.get()) {
            int port = stablePort;
            String target = "Stable-Listener";
            if (!stable) {
                List<Map.Entry<String, Integer>> choices = new ArrayList<>(dynamicPorts.entrySet());
                if (choices.isEmpty()) {
                    pause(20);
                    continue;
                }
                Map.Entry<String, Integer> e = choices.get(random.nextInt(choices.size()));
                target = e.getKey();
                port = e.getValue();
            }
            long n = random.nextLong(1, Long.MAX_VALUE);
            Connection connection;
            try {
                connection = connect(port);
            } catch (SQLTimeoutException e) {
                problems.add(target + ": hang while connecting: " + e);
                continue;
            } catch (SQLException e) {
                String text = String.valueOf(e.getMessage());
                if (stable || text.contains("timed out")) {
                    problems.add(target + ": " + e);
                } else {
                    cleanErrors.incrementAndGet(); // the listener, service or servers went away under this client
                    String kind = text.replaceAll("[0-9]+", "N").replaceAll("'[^']*'", "'…'");
                    errorKinds.computeIfAbsent(kind.substring(0, Math.min(90, kind.length())),
                            k -> new AtomicLong()).incrementAndGet();
                }
                continue;
            }
            // once connected, nothing done to the objects may disturb the session: any error is a failure
            try (Connection c = connection; Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT @@port, " + n)) {
                if (!rs.next()) {
                    problems.add(target + ": empty result");
                    continue;
                }
                int answeredBy = rs.getInt(1);
                long echoed = rs.getLong(2);
                if (echoed != n || (stable ? answeredBy != primaryPort : !nodePorts.contains(answeredBy))) {
                    problems.add(target + ": wrong answer " + answeredBy + ", " + echoed + " for " + n);
                } else if (stable) {
                    stableOk.incrementAndGet();
                } else {
                    dynamicOk.incrementAndGet();
                }
            } catch (SQLException e) {
                problems.add(target + ": an established session failed: " + e);
            } catch (RuntimeException e) {
                problems.add(target + ": " + e);
            }
        }
    }

    private static Connection connect(int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", MariaDbTopology.APP_USER);
        p.setProperty("password", MariaDbTopology.APP_PASSWORD);
        p.setProperty("connectTimeout", "20000");
        p.setProperty("socketTimeout", "30000");
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/test", p);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One generation per cycle: a server (with a pool), a service over it and the previous generation's server,
     * a listener; the previous generation's service is altered and relinked; every third cycle a monitor comes
     * and goes; the generation before that is destroyed (listener, then service, then its server by force).
     */
    private final class Mutator {
        final AdminRest rest;
        final List<Integer> nodePorts;
        final Deque<Integer> generations = new ArrayDeque<>();
        final List<String> monitors = new CopyOnWriteArrayList<>();
        long cycles;

        Mutator(AdminRest rest, List<Integer> nodePorts) {
            this.rest = rest;
            this.nodePorts = nodePorts;
        }

        void cycle() throws Exception {
            int g = (int) cycles++;
            int port = nodePorts.get(g % nodePorts.size());
            rest.expect(204, "POST", "/v1/servers", AdminRest.server("s" + g, port, ",\"persistpoolmax\":4"));
            Integer previous = generations.peekLast();
            String[] servers = previous == null ? new String[] {"s" + g} : new String[] {"s" + g, "s" + previous};
            rest.expect(204, "POST", "/v1/services", AdminRest.service("v" + g, "running", servers));
            rest.expect(204, "POST", "/v1/listeners", AdminRest.listener("l" + g, "v" + g));
            rest.expect(400, "DELETE", "/v1/servers/s" + g, null); // in use by v<g>: only force destroys it
            int bound = JSON.readTree(rest.expect(200, "GET", "/v1/listeners/l" + g, null))
                    .at("/data/attributes/bound_port").asInt();
            dynamicPorts.put("l" + g, bound);
            if (previous != null) {
                rest.expect(204, "PATCH", "/v1/services/v" + previous,
                        AdminRest.parameters("\"router_options\":\"" + (g % 2 == 0 ? "running" : "master,slave")
                                + "\",\"max_replication_lag\":\"" + (g % 5 + 1) + "s\""));
                rest.expect(204, "PATCH", "/v1/servers/s" + previous, AdminRest.parameters("\"persistpoolmax\":"
                        + (2 + g % 3)));
                rest.expect(204, "PATCH", "/v1/services/v" + previous + "/relationships/servers",
                        AdminRest.links("servers", "s" + previous, "s" + g));
            }
            if (g % 3 == 0) {
                rest.expect(204, "POST", "/v1/monitors", AdminRest.monitor("m" + g, "s" + g));
                monitors.add("m" + g);
            }
            if (monitors.size() > 1) {
                String old = monitors.remove(0);
                rest.expect(204, "DELETE", "/v1/monitors/" + old + "?force=yes", null);
            }
            generations.addLast(g);
            if (generations.size() > 2) {
                destroyGeneration(generations.removeFirst());
            }
        }

        void destroyGeneration(int g) throws Exception {
            rest.expect(204, "DELETE", "/v1/listeners/l" + g, null);
            dynamicPorts.remove("l" + g);
            rest.expect(204, "DELETE", "/v1/services/v" + g, null);
            for (String m : monitors) {
                if (m.equals("m" + g)) {
                    monitors.remove(m);
                    rest.expect(204, "DELETE", "/v1/monitors/" + m + "?force=yes", null);
                }
            }
            rest.expect(204, "DELETE", "/v1/servers/s" + g + "?force=yes", null); // may still be linked
        }

        void destroyAll() throws Exception {
            while (!generations.isEmpty()) {
                int g = generations.removeFirst();
                if (generations.isEmpty()) {
                    // the last server is linked to its own service only, which is gone by now
                    rest.expect(204, "DELETE", "/v1/listeners/l" + g, null);
                    dynamicPorts.remove("l" + g);
                    rest.expect(204, "DELETE", "/v1/services/v" + g, null);
                    for (String m : monitors) {
                        rest.expect(204, "DELETE", "/v1/monitors/" + m + "?force=yes", null);
                    }
                    monitors.clear();
                    rest.expect(204, "DELETE", "/v1/servers/s" + g, null);
                } else {
                    destroyGeneration(g);
                }
            }
        }
    }
}
