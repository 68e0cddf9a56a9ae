package dev.sluice.server.admin;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.core.ServerStatistics;
import dev.sluice.server.core.ServiceRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code /metrics}: a Micrometer registry rendered in the Prometheus text format, names prefixed
 * {@code sluice_}. The meters read the counters the routing workers update (atomics and LongAdders), so no
 * worker is interrupted. Servers and services may come and go at runtime, so before each scrape the meters
 * are matched to the objects that exist now: a new object gets its meters, a destroyed (or replaced) one loses
 * them. With {@code telemetry=true} the same meters are also registered in an OTLP registry, which pushes them to
 * {@code telemetry_url} every {@code telemetry_interval} (see {@link Telemetry}). Used on the admin event loop
 * only (the OTLP registry reads the meters from its own thread; they read atomics and LongAdders).
 */
final class PrometheusMetrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final SluiceServer sluice;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Where every meter is registered: the Prometheus registry, and the OTLP one when telemetry is on. */
    private final List<MeterRegistry> registries = new ArrayList<>();
    /** The object each name's meters were registered for, and those meters. */
    private final Map<String, Registered> byName = new HashMap<>(); // admin event loop only

    private record Registered(Object object, List<Meter> meters) {
    }

    /** @param telemetry the OTLP registry ({@code telemetry=true}), or null */
    PrometheusMetrics(SluiceServer sluice, MeterRegistry telemetry) {
        this.sluice = sluice;
        registries.add(registry);
        if (telemetry != null) {
            registries.add(telemetry);
        }
        for (MeterRegistry r : registries) {
            Gauge.builder("sluice.sessions", sluice, s -> s.sessions().size())
                    .description("Current client sessions of this Sluice.").register(r);
            FunctionCounter.builder("sluice.sessions.accepted", sluice, s -> {
                long total = 0;
                for (ServiceRuntime svc : s.services().values()) {
                    total += svc.totalSessions.sum();
                }
                return total;
            }).description("Client sessions accepted since start (by services that still exist).").register(r);
            Gauge.builder("sluice.uptime", sluice, s -> (System.currentTimeMillis() - s.startedAtMillis()) / 1000.0)
                    .baseUnit("seconds").description("Seconds since this Sluice started.").register(r);
            Gauge.builder("sluice.threads", sluice, s -> s.workers().all().size())
                    .description("Routing worker threads.").register(r);
        }
    }

    String scrape() {
        sync();
        return registry.scrape();
    }

    /**
     * Matches the per-server and per-service meters to the objects that exist now (before a scrape, and
     * periodically for the OTLP export).
     */
    void sync() {
        Map<String, Object> live = new HashMap<>();
        sluice.servers().forEach((name, s) -> live.put("server/" + name, s));
        sluice.services().forEach((name, s) -> live.put("service/" + name, s));
        byName.entrySet().removeIf(e -> {
            if (live.get(e.getKey()) != e.getValue().object()) {
                e.getValue().meters().forEach(m -> registries.forEach(r -> r.remove(m)));
                return true;
            }
            return false;
        });
        live.forEach((key, object) -> byName.computeIfAbsent(key, k -> new Registered(object,
                object instanceof ServerRuntime s ? serverMeters(s) : serviceMeters((ServiceRuntime) object))));
    }

    private List<Meter> serverMeters(ServerRuntime s) {
        Tags tags = Tags.of("server", s.name());
        List<Meter> m = new ArrayList<>();
        m.add(gauge("sluice.server.connections", "Current backend connections to the server.", s, tags,
                x -> x.connections.get()));
        m.add(counter("sluice.server.connections.opened", "Backend connections opened to the server.", s, tags,
                x -> x.totalConnections.sum()));
        m.add(counter("sluice.server.routed.packets", "Packets routed to the server.", s, tags,
                x -> x.routedPackets.sum()));
        m.add(counter("sluice.server.pool.reuses", "Pooled backend connections reused.", s, tags,
                x -> x.pooledReuses.sum()));
        m.add(gauge("sluice.server.running", "1 when the server is running, 0 when down.", s, tags,
                x -> x.status().isRunning() ? 1 : 0));
        m.add(gauge("sluice.server.master", "1 when the monitor sees the server as the primary.", s, tags,
                x -> x.status().isMaster() ? 1 : 0));
        m.add(gauge("sluice.server.active.operations", "Requests sent to the server whose reply is not complete.",
                s, tags, x -> x.statistics.activeOperations()));
        m.add(gauge("sluice.server.pool.connections", "Idle backend connections in the pools.", s, tags,
                x -> x.statistics.pooledConnections.get()));
        m.add(counter("sluice.server.pool.empty", "Times a session found no pooled connection to reuse.", s, tags,
                x -> x.statistics.connectionPoolEmpty.sum()));
        for (String op : List.of("read", "write")) {
            boolean read = op.equals("read");
            for (int i = 0; i < ServerStatistics.BUCKETS; i++) {
                int bucket = i;
                Tags t = tags.and("operation", op, "time", ServerStatistics.bucketLimit(i));
                m.add(counter("sluice.server.responses", "Replies from the server by operation (a result set is a "
                        + "read) and response-time bucket (upper limit in seconds, as MaxScale's distribution).",
                        s, t, x -> x.statistics.counts(read)[bucket]));
                m.add(counter("sluice.server.response.seconds", "Summed response time of those replies.", s,
                        t, x -> x.statistics.totalNanos(read)[bucket] / 1e9));
            }
        }
        return m;
    }

    private List<Meter> serviceMeters(ServiceRuntime s) {
        Tags tags = Tags.of("service", s.name());
        List<Meter> m = new ArrayList<>();
        m.add(gauge("sluice.service.sessions", "Current client sessions of the service.", s, tags,
                x -> x.currentSessions.get()));
        m.add(counter("sluice.service.sessions.accepted", "Client sessions the service has accepted.", s, tags,
                x -> x.totalSessions.sum()));
        m.add(counter("sluice.service.routed.packets", "Client requests the service's sessions routed.", s, tags,
                x -> x.routedPackets.sum()));
        return m;
    }

    private <T> Meter gauge(String name, String help, T object, Tags tags, ToDoubleFunction<T> value) {
        Meter first = null;
        for (MeterRegistry r : registries) {
            Meter m = Gauge.builder(name, object, value).description(help).tags(tags).strongReference(true)
                    .register(r);
            first = first == null ? m : first;
        }
        return first; // the same id in every registry: removing it removes it from each
    }

    private <T> Meter counter(String name, String help, T object, Tags tags, ToDoubleFunction<T> value) {
        Meter first = null;
        for (MeterRegistry r : registries) {
            Meter m = FunctionCounter.builder(name, object, value).description(help).tags(tags).register(r);
            first = first == null ? m : first;
        }
        return first;
    }
}
