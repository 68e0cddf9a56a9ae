package dev.sluice.server.admin;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.GlobalParams;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.logging.Logs;
import dev.sluice.server.session.Worker;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /v1/maxscale} (GET, and PATCH of the modifiable globals), {@code /v1/maxscale/threads[/:id]} and
 * {@code /v1/maxscale/logs[/entries]}. Thread statistics are read by a task on each worker and the answer is
 * completed when the last worker has answered, so the admin event loop never waits on a worker.
 */
final class MaxScaleResource {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final long WORKER_WAIT_SECONDS = 5;
    private static final ParamSpec LOG_PARAMS = ParamSpec.of(RuntimeGlobals.LOGGING);

    private final SluiceServer sluice;
    private final RuntimeGlobals globals;
    private final LogRing logs;

    MaxScaleResource(SluiceServer sluice, RuntimeGlobals globals, LogRing logs) {
        this.sluice = sluice;
        this.globals = globals;
        this.logs = logs;
    }

    /** {@code GET|PATCH /v1/maxscale}; null after a successful PATCH (204). */
    JsonNode maxscale(AdminRequest req) {
        req.allow("GET", "PATCH");
        if (req.method().equals("PATCH")) {
            patch(req, false);
            return null;
        }
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        a.put("version", AdminApi.version());
        a.put("commit", "");
        a.put("started_at", HTTP_DATE.format(Instant.ofEpochMilli(sluice.startedAtMillis())));
        a.put("activated_at", HTTP_DATE.format(Instant.ofEpochMilli(sluice.startedAtMillis())));
        a.put("uptime", (System.currentTimeMillis() - sluice.startedAtMillis()) / 1000);
        a.put("threads", sluice.workers().all().size());
        a.put("process_datadir", globals.values().get(GlobalParams.DATADIR));
        a.set("parameters", JsonApi.parameters(GlobalParams.SPEC, globals.values()));
        return JsonApi.document(req.self(), JsonApi.resource(req.base(), "maxscale", "maxscale", a, null));
    }

    /** A worker's figures, copied on the worker. */
    record ThreadStats(int index, int sessions, int pendingTasks, long queueNanos, int pooledConnections) {
    }

    /** {@code GET /v1/maxscale/threads[/:id]}: completes when every asked worker has answered. */
    CompletableFuture<JsonNode> threads(AdminRequest req, String onlyId) {
        req.allow("GET");
        List<CompletableFuture<ThreadStats>> asks = new ArrayList<>();
        for (Worker w : sluice.workers().all()) {
            if (onlyId == null || onlyId.equals(Integer.toString(w.index()))) {
                asks.add(ask(w));
            }
        }
        if (asks.isEmpty()) {
            throw new AdminApi.ApiError(404, "No thread named '" + onlyId + "'");
        }
        return CompletableFuture.allOf(asks.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            ArrayNode all = JsonApi.MAPPER.createArrayNode();
            asks.forEach(f -> all.add(thread(req.base(), f.join())));
            return JsonApi.document(req.self(), onlyId == null ? all : all.get(0));
        });
    }

    private CompletableFuture<ThreadStats> ask(Worker w) {
        long submitted = System.nanoTime();
        return WorkerTasks.ask(w, java.time.Duration.ofSeconds(WORKER_WAIT_SECONDS), () -> {
            long queued = System.nanoTime() - submitted;
            int pending = w.eventLoop() instanceof SingleThreadEventExecutor e ? e.pendingTasks() : 0;
            int pooled = 0;
            for (ServerRuntime s : sluice.servers().values()) {
                pooled += w.pool().size(s);
            }
            return new ThreadStats(w.index(), w.sessions().size(), pending, queued, pooled);
        });
    }

    private static JsonNode thread(String base, ThreadStats t) {
        String id = Integer.toString(t.index());
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        ObjectNode stats = a.putObject("stats");
        stats.put("state", "Active");
        stats.put("sessions", t.sessions());
        stats.put("current_descriptors", t.sessions() + t.pooledConnections());
        stats.put("pooled_connections", t.pooledConnections());
        stats.put("event_queue_length", t.pendingTasks());
        stats.put("queue_time_us", t.queueNanos() / 1000);
        ObjectNode r = JsonApi.resource(base, "threads", id, a, null);
        ((ObjectNode) r.get("links")).put("self", base + "/v1/maxscale/threads/" + id + "/");
        return r;
    }

    /** PATCH of {@code /v1/maxscale} or (only the logging parameters) {@code /v1/maxscale/logs}. */
    private void patch(AdminRequest req, boolean loggingOnly) {
        JsonNode parameters = req.json().at("/data/attributes/parameters");
        if (parameters.isMissingNode()) {
            throw new AdminApi.ApiError(400, "Missing 'data.attributes.parameters' in the request body");
        }
        if (loggingOnly && parameters.isObject()) {
            parameters.fieldNames().forEachRemaining(k -> {
                if (!LOG_PARAMS.contains(k)) {
                    throw new AdminApi.ApiError(400, "Parameter '" + k + "' is not a logging parameter (expected: one "
                            + "of " + String.join(", ", LOG_PARAMS.acceptedNames()) + "; others: PATCH /v1/maxscale)");
                }
            });
        }
        try {
            globals.patch(parameters);
        } catch (RuntimeGlobals.PatchException e) {
            throw new AdminApi.ApiError(400, e.getMessage());
        }
    }

    /** {@code POST /v1/maxscale/logs/flush}: reopens the log file (maxctrl's {@code rotate logs}). */
    JsonNode flush(AdminRequest req) {
        req.allow("POST");
        Logs.rotate();
        return null;
    }

    /**
     * {@code GET|PATCH /v1/maxscale/logs}: the logging parameters, the enabled priorities, where lines go, the log
     * file and how many recent lines are kept; PATCH changes logging parameters (maxctrl's {@code alter logging},
     * {@code enable|disable log-priority}).
     */
    JsonNode logs(AdminRequest req) {
        req.allow("GET", "PATCH");
        if (req.method().equals("PATCH")) {
            patch(req, true);
            return null;
        }
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        ObjectNode params = a.putObject("parameters");
        for (Param<?> p : LOG_PARAMS.params()) {
            params.set(p.name(), JsonApi.value(p, globals.values().get(p)));
        }
        ArrayNode priorities = a.putArray("log_priorities");
        priorities.add("alert").add("error");
        if (globals.values().get(GlobalParams.LOG_WARNING)) {
            priorities.add("warning");
        }
        if (globals.values().get(GlobalParams.LOG_NOTICE)) {
            priorities.add("notice");
        }
        if (globals.values().get(GlobalParams.LOG_INFO)) {
            priorities.add("info");
        }
        if (globals.values().get(GlobalParams.LOG_DEBUG)) {
            priorities.add("debug");
        }
        a.put("log_source", Logs.fileOpen() ? "maxlog" : globals.values().get(GlobalParams.SYSLOG) ? "syslog"
                : "memory");
        a.put("log_file", Logs.logFile() == null ? null : Logs.logFile().toString());
        a.put("retained_entries", logs == null ? 0 : logs.size());
        ObjectNode r = JsonApi.resource(req.base(), "logs", "logs", a, null);
        ((ObjectNode) r.get("links")).put("self", req.base() + "/v1/maxscale/logs/");
        ((ObjectNode) r.get("links")).put("entries", req.base() + "/v1/maxscale/logs/entries/");
        return JsonApi.document(req.self(), r);
    }

    /**
     * {@code GET /v1/maxscale/logs/entries[?page[size]=N][&page[cursor]=ID][&priority=LEVEL]}: the newest
     * lines (50 unless asked), oldest first; {@code links.prev} pages back to older ones.
     */
    JsonNode entries(AdminRequest req) {
        req.allow("GET");
        int size = intParam(req, "page[size]", 50, 1, LogRing.CAPACITY);
        long cursor = req.query().containsKey("page[cursor]") ? intParam(req, "page[cursor]", 0, 0,
                Integer.MAX_VALUE) : -1;
        Level min = null;
        String priority = req.query().get("priority");
        if (priority != null) {
            min = switch (priority.toLowerCase(Locale.ROOT)) {
                case "alert", "error" -> Level.ERROR;
                case "warning" -> Level.WARN;
                case "notice", "info" -> Level.INFO;
                case "debug" -> Level.DEBUG;
                default -> throw new AdminApi.ApiError(400, "Invalid value for 'priority': '" + priority
                        + "' (expected: alert, error, warning, notice, info or debug)");
            };
        }
        List<LogRing.Entry> list = logs == null ? List.of() : logs.entries(cursor, size, min);
        ArrayNode data = JsonApi.MAPPER.createArrayNode();
        for (LogRing.Entry e : list) {
            ObjectNode a = JsonApi.MAPPER.createObjectNode();
            a.put("id", Long.toString(e.id()));
            a.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(e.timestampMillis())));
            a.put("priority", priority(e.level()));
            a.put("module", e.logger());
            a.put("thread", e.thread());
            a.put("message", e.message());
            data.addObject().put("id", Long.toString(e.id())).put("type", "log_entry").set("attributes", a);
        }
        ObjectNode doc = JsonApi.document(req.self(), data);
        if (!list.isEmpty() && list.get(0).id() > 0) {
            ((ObjectNode) doc.get("links")).put("prev", req.base() + "/v1/maxscale/logs/entries?page[size]=" + size
                    + "&page[cursor]=" + list.get(0).id());
        }
        return doc;
    }

    private static String priority(String logbackLevel) {
        return switch (logbackLevel) {
            case "ERROR" -> "error";
            case "WARN" -> "warning";
            case "INFO" -> "notice";
            case "DEBUG", "TRACE" -> "debug";
            default -> logbackLevel.toLowerCase(Locale.ROOT);
        };
    }

    private static int intParam(AdminRequest req, String name, int def, int min, int max) {
        String v = req.query().get(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new AdminApi.ApiError(400, "Invalid value for '" + name + "': '" + v + "' (expected: a number from "
                + min + " to " + max + ")");
    }
}
