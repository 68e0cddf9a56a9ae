package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.core.ServerStatistics;

/**
 * The figures of {@link ServerStatistics} in a server resource's {@code attributes.statistics}, with MaxScale's
 * names: {@code active_operations}, the pool's {@code persistent_connections}, {@code max_pool_size} and
 * {@code connection_pool_empty}, and {@code response_time_distribution}
 * ({@code read} and {@code write}, each a {@code distribution} of {@code {time, count, total}} where
 * {@code time} is the bucket's upper limit and {@code total} the summed response time, both in seconds).
 */
final class ServerStatisticsJson {
    private ServerStatisticsJson() {
    }

    static void addTo(ObjectNode stats, ServerRuntime s) {
        ServerStatistics st = s.statistics;
        stats.put("active_operations", st.activeOperations());
        stats.put("persistent_connections", st.pooledConnections.get());
        stats.put("max_pool_size", st.maxPoolSize.get());
        stats.put("connection_pool_empty", st.connectionPoolEmpty.sum());
        ObjectNode dist = stats.putObject("response_time_distribution");
        dist.set("read", operation("read", st.counts(true), st.totalNanos(true)));
        dist.set("write", operation("write", st.counts(false), st.totalNanos(false)));
    }

    private static ObjectNode operation(String name, long[] counts, long[] nanos) {
        ObjectNode o = JsonApi.MAPPER.createObjectNode();
        o.put("operation", name);
        ArrayNode buckets = o.putArray("distribution");
        for (int i = 0; i < ServerStatistics.BUCKETS; i++) {
            buckets.addObject().put("time", ServerStatistics.bucketLimit(i)).put("count", counts[i])
                    .put("total", nanos[i] / 1e9);
        }
        return o;
    }
}
