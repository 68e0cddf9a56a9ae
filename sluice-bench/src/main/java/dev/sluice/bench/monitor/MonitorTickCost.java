package dev.sluice.bench.monitor;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.monitor.Monitor;
import dev.sluice.api.monitor.MonitorContext;
import dev.sluice.api.monitor.MonitoredServer;
import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.modules.galeramon.GaleraMonitor;
import dev.sluice.modules.mariadbmon.MariaDbMonitor;
import dev.sluice.testkit.GaleraCluster;
import dev.sluice.testkit.MariaDbNode;
import dev.sluice.testkit.MariaDbTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one monitor tick costs against real servers: the monitor runs with {@code monitor_interval=1ms}, so
 * ticks follow each other, and the tick count over a measured period gives the mean wall time of a tick
 * (reading every server, deciding, publishing). Not a JMH benchmark: a tick is network round trips to real
 * mariadbd processes, milliseconds each.
 *
 * <pre>
 * mvn -B -pl sluice-bench -am package -DskipTests
 * java -Dlogback.configurationFile=tick-cost-logback.xml -cp sluice-bench/target/benchmarks.jar \
 *     dev.sluice.bench.monitor.MonitorTickCost mariadbmon 3 20
 * java … dev.sluice.bench.monitor.MonitorTickCost galeramon 3 20
 * </pre>
 * mariadbmon: a primary and N-1 replicas ({@link MariaDbTopology}) for each count. galeramon: one 3-node
 * {@link GaleraCluster}; for more servers than nodes, the servers are the nodes again (each server its own
 * connection), which costs a tick what as many real nodes would.
 */
public final class MonitorTickCost {

    private static final Duration WARMUP = Duration.ofSeconds(3);
    private static final Duration MEASURE = Duration.ofSeconds(10);

    private MonitorTickCost() {
    }

    public static void main(String[] args) throws Exception {
        String module = args.length > 0 ? args[0] : "mariadbmon";
        List<Integer> counts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            counts.add(Integer.parseInt(args[i]));
        }
        if (counts.isEmpty()) {
            counts = List.of(3, 20);
        }
        Path base = Files.createTempDirectory("tick-cost");
        if (module.equals("galeramon")) {
            try (GaleraCluster cluster = GaleraCluster.builder().namePrefix("tc").start()) {
                for (int n : counts) {
                    List<MariaDbNode> nodes = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        nodes.add(cluster.node(i % cluster.nodes().size()));
                    }
                    report(module, n, measure(module, nodes, base));
                }
            }
        } else {
            for (int n : counts) {
                try (MariaDbTopology topology = MariaDbTopology.builder().replicas(n - 1).namePrefix("tc")
                        .baseDirectory(base).start()) {
                    report(module, n, measure(module, topology.nodes(), base));
                }
            }
        }
    }

    private static void report(String module, int servers, double tickMillis) {
        System.out.printf("%s, %d servers: %.2f ms per tick (%.3f ms per server)%n", module, servers, tickMillis,
                tickMillis / servers);
    }

    /** Mean milliseconds per tick of {@code module} over {@code nodes}. */
    static double measure(String module, List<MariaDbNode> nodes, Path dataDirectory) throws Exception {
        List<MonitoredServer> servers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            servers.add(new BenchServer("s" + (i + 1), nodes.get(i).port()));
        }
        ParamValues params = ParamValues.of(Map.of("monitor_interval", Duration.ofMillis(1), "user",
                MariaDbTopology.MONITOR_USER, "password", MariaDbTopology.MONITOR_PASSWORD));
        MonitorContext context = new MonitorContext() {
            @Override
            public String name() {
                return "TickCost";
            }

            @Override
            public ParamValues params() {
                return params;
            }

            @Override
            public List<MonitoredServer> servers() {
                return servers;
            }

            @Override
            public Path dataDirectory() {
                return dataDirectory;
            }
        };
        Monitor monitor = module.equals("galeramon") ? new GaleraMonitor(context) : new MariaDbMonitor(context);
        monitor.start();
        try {
            Thread.sleep(WARMUP.toMillis());
            long ticks0 = ticks(monitor);
            long t0 = System.nanoTime();
            Thread.sleep(MEASURE.toMillis());
            long ticks1 = ticks(monitor);
            double elapsedMillis = (System.nanoTime() - t0) / 1e6;
            if (ticks1 <= ticks0) {
                throw new IllegalStateException("the monitor did not tick: " + monitor.diagnostics());
            }
            return elapsedMillis / (ticks1 - ticks0);
        } finally {
            monitor.stop();
        }
    }

    private static long ticks(Monitor monitor) {
        return ((Number) monitor.diagnostics().get("ticks")).longValue();
    }

    /** A server on 127.0.0.1 as the monitor sees it; publications are kept, nothing else. */
    private static final class BenchServer implements Server, MonitoredServer {
        private final String name;
        private final int port;
        private volatile ServerStatus status = ServerStatus.UNMONITORED;

        BenchServer(String name, int port) {
            this.name = name;
            this.port = port;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String address() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public String socket() {
            return "";
        }

        @Override
        public ParamValues params() {
            return ParamValues.empty();
        }

        @Override
        public ServerStatus status() {
            return status;
        }

        @Override
        public int rank() {
            return 0;
        }

        @Override
        public Server server() {
            return this;
        }

        @Override
        public void publish(ServerStatus newStatus) {
            status = newStatus;
        }

        @Override
        public void setMaintenance(boolean on) {
            // the measurement runs no operation that would set it
        }
    }
}
