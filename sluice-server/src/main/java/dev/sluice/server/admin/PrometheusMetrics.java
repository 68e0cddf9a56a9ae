package dev.sluice.server.admin;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.core.ServiceRuntime;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * {@code /metrics} in the Prometheus text exposition format (version 0.0.4), written by hand: a few gauges
 * and counters per server and service, names prefixed {@code sluice_}. Values are read from the counters the
 * routing workers update (atomics and LongAdders), so no worker is interrupted.
 */
final class PrometheusMetrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusMetrics() {
    }

    static String render(SluiceServer sluice) {
        StringBuilder sb = new StringBuilder();
        Map<String, ServerRuntime> servers = sluice.servers();
        family(sb, "sluice_server_connections", "gauge", "Current backend connections to the server.",
                "server", servers, s -> s.connections.get());
        family(sb, "sluice_server_connections_total", "counter", "Backend connections opened to the server.",
                "server", servers, s -> s.totalConnections.sum());
        family(sb, "sluice_server_routed_packets_total", "counter", "Packets routed to the server.",
                "server", servers, s -> s.routedPackets.sum());
        family(sb, "sluice_server_pool_reuses_total", "counter", "Pooled backend connections reused.",
                "server", servers, s -> s.pooledReuses.sum());
        family(sb, "sluice_server_running", "gauge", "1 when the server is running, 0 when down.",
                "server", servers, s -> s.status().isRunning() ? 1 : 0);
        family(sb, "sluice_server_master", "gauge", "1 when the monitor sees the server as the primary.",
                "server", servers, s -> s.status().isMaster() ? 1 : 0);
        Map<String, ServiceRuntime> services = sluice.services();
        family(sb, "sluice_service_sessions", "gauge", "Current client sessions of the service.",
                "service", services, s -> s.currentSessions.get());
        family(sb, "sluice_service_sessions_total", "counter", "Client sessions the service has accepted.",
                "service", services, s -> s.totalSessions.sum());
        header(sb, "sluice_sessions", "gauge", "Current client sessions of this Sluice.");
        sb.append("sluice_sessions ").append(sluice.sessions().size()).append('\n');
        long total = 0;
        for (ServiceRuntime s : services.values()) {
            total += s.totalSessions.sum();
        }
        header(sb, "sluice_sessions_total", "counter", "Client sessions accepted since start.");
        sb.append("sluice_sessions_total ").append(total).append('\n');
        header(sb, "sluice_uptime_seconds", "gauge", "Seconds since this Sluice started.");
        sb.append("sluice_uptime_seconds ").append((System.currentTimeMillis() - sluice.startedAtMillis()) / 1000)
                .append('\n');
        return sb.toString();
    }

    private static <T> void family(StringBuilder sb, String name, String type, String help, String label,
                                   Map<String, T> objects, ToLongFunction<T> value) {
        header(sb, name, type, help);
        objects.forEach((id, o) -> sb.append(name).append('{').append(label).append("=\"").append(escape(id))
                .append("\"} ").append(value.applyAsLong(o)).append('\n'));
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
