package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.query.QueryType;
import dev.sluice.classifier.MariaDbQueryClassifier;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.GlobalParams;
import dev.sluice.server.session.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v1/maxscale/query_classifier} (the classifier's settings and cache totals) and
 * {@code GET /v1/maxscale/query_classifier/cache[?top=N]} (maxctrl's {@code show qc_cache}: the cached
 * statements with the most hits, in canonical form, summed over the workers' caches). Each worker's cache is read
 * by a task on that worker; the answer completes when the last has answered.
 */
final class QueryClassifierResource {
    private static final Duration WORKER_WAIT = Duration.ofSeconds(5);
    private static final int DEFAULT_TOP = 20;

    private final SluiceServer sluice;
    private final RuntimeGlobals globals;

    QueryClassifierResource(SluiceServer sluice, RuntimeGlobals globals) {
        this.sluice = sluice;
        this.globals = globals;
    }

    /** A worker's cache, read on the worker. */
    private record WorkerCache(int statements, long bytes, long hits, long misses, long evictions,
                               List<MariaDbQueryClassifier.CachedStatement> top) {
    }

    CompletableFuture<JsonNode> handle(AdminRequest req, boolean cache) {
        req.allow("GET");
        int top = DEFAULT_TOP;
        if (cache && req.query().containsKey("top")) {
            try {
                top = Integer.parseInt(req.query().get("top"));
            } catch (NumberFormatException e) {
                throw new AdminApi.ApiError(400, "Invalid value for 'top': '" + req.query().get("top")
                        + "' (expected: a number)");
            }
        }
        int n = Math.max(top, 0);
        List<CompletableFuture<WorkerCache>> asks = new ArrayList<>();
        for (Worker w : sluice.workers().all()) {
            asks.add(WorkerTasks.ask(w, WORKER_WAIT, () -> {
                if (!(w.classifier() instanceof MariaDbQueryClassifier c)) {
                    return new WorkerCache(0, 0, 0, 0, 0, List.of());
                }
                return new WorkerCache(c.cachedStatements(), c.cachedBytes(), c.cacheHits(), c.cacheMisses(),
                        c.cacheEvictions(), cache ? c.cacheTop(n) : List.of());
            }));
        }
        return CompletableFuture.allOf(asks.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            List<WorkerCache> all = asks.stream().map(CompletableFuture::join).toList();
            return cache ? cacheDocument(req, all, n) : classifierDocument(req, all);
        });
    }

    private JsonNode classifierDocument(AdminRequest req, List<WorkerCache> all) {
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        ObjectNode params = a.putObject("parameters");
        params.put("cache_size", GlobalParams.queryClassifierCacheSize(globals.values()));
        ObjectNode stats = a.putObject("cache");
        stats.put("size", all.stream().mapToLong(WorkerCache::bytes).sum());
        stats.put("statements", all.stream().mapToLong(WorkerCache::statements).sum());
        stats.put("hits", all.stream().mapToLong(WorkerCache::hits).sum());
        stats.put("misses", all.stream().mapToLong(WorkerCache::misses).sum());
        stats.put("evictions", all.stream().mapToLong(WorkerCache::evictions).sum());
        ObjectNode r = JsonApi.MAPPER.createObjectNode();
        r.put("id", "query_classifier");
        r.put("type", "query_classifier");
        r.set("attributes", a);
        r.putObject("links").put("self", req.self());
        return JsonApi.document(req.self(), r);
    }

    private static JsonNode cacheDocument(AdminRequest req, List<WorkerCache> all, int top) {
        // the same statement may be cached by several workers: one row, hits summed
        Map<String, MariaDbQueryClassifier.CachedStatement> merged = new LinkedHashMap<>();
        for (WorkerCache w : all) {
            for (MariaDbQueryClassifier.CachedStatement c : w.top()) {
                merged.merge(c.canonical(), c, (a, b) -> new MariaDbQueryClassifier.CachedStatement(a.canonical(),
                        a.hits() + b.hits(), a.info(), a.size() + b.size()));
            }
        }
        List<MariaDbQueryClassifier.CachedStatement> rows = new ArrayList<>(merged.values());
        rows.sort((a, b) -> Long.compare(b.hits(), a.hits()));
        ArrayNode data = JsonApi.MAPPER.createArrayNode();
        for (MariaDbQueryClassifier.CachedStatement c : rows.subList(0, Math.min(top, rows.size()))) {
            ObjectNode o = data.addObject();
            o.put("id", c.canonical());
            o.put("type", "cache");
            ObjectNode a = o.putObject("attributes");
            a.put("hits", c.hits());
            ObjectNode cl = a.putObject("classification");
            cl.put("type_mask", QueryType.names(c.info().types()));
            cl.put("operation", c.info().operation().toString());
            cl.put("size", c.size());
        }
        return JsonApi.document(req.self(), data);
    }
}
