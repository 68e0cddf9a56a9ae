package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.session.ClientSession;
import dev.sluice.server.session.StatementHistory;
import dev.sluice.server.session.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /v1/sessions}: GET (all, or one), DELETE (kill, or after {@code ?ttl=} seconds), PATCH (the session's
 * filters, applied by a restart at its next safe point), {@code POST /v1/sessions/:id/restart} and
 * {@code POST /v1/sessions/restart}. A session belongs to its routing worker, so every read and every action
 * is a task on that worker ({@link WorkerTasks}); the answer completes when the workers have answered, and a
 * worker that does not answer within {@code workerTimeout} turns the answer into a 503 naming it. The admin
 * event loop never waits.
 */
final class SessionsResource {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final SluiceServer sluice;
    private final Duration workerTimeout;

    SessionsResource(SluiceServer sluice, Duration workerTimeout) {
        this.sluice = sluice;
        this.workerTimeout = workerTimeout;
    }

    /** A session's state copied on its worker. */
    record Snapshot(long id, String user, String remote, String service, String listener, String state,
                    long connectedAtMillis, long lastActivityMillis, long queries, int worker, long snapshotVersion,
                    long latestVersion, boolean restartPending, List<String> backends,
                    List<StatementHistory.Entry> lastStatements, List<String> log) {
    }

    /** {@code seg} is the whole path ({@code v1, sessions, …}); null answers 204. */
    CompletableFuture<JsonNode> handle(AdminRequest req, List<String> seg) {
        int n = seg.size();
        if (n == 2) {
            req.allow("GET");
            return all().thenApply(list -> {
                ArrayNode data = JsonApi.MAPPER.createArrayNode();
                list.forEach(s -> data.add(session(req.base(), s)));
                return JsonApi.document(req.self(), data);
            });
        }
        if (n == 3 && seg.get(2).equals("restart")) {
            req.allow("POST");
            return restartAll().thenApply(count -> null);
        }
        if (n == 3 && req.method().equals("PATCH")) {
            List<dev.sluice.api.filter.Filter> filters = patchedFilters(req);
            ClientSession s = find(seg.get(2));
            return onWorker(s, () -> {
                s.requestRestart(filters);
                return null;
            });
        }
        if (n == 3) {
            req.allow("GET", "DELETE", "PATCH");
            ClientSession s = find(seg.get(2));
            if (req.method().equals("DELETE")) {
                long ttl = ttlSeconds(req);
                return onWorker(s, () -> {
                    if (ttl > 0) {
                        // maxctrl destroy session --ttl: the session may finish what it does for that long
                        s.worker().eventLoop().schedule(s::kill, ttl, java.util.concurrent.TimeUnit.SECONDS);
                    } else {
                        s.kill();
                    }
                    return null;
                });
            }
            return onWorker(s, () -> snapshot(s)).thenApply(one -> JsonApi.document(req.self(),
                    session(req.base(), one)));
        }
        if (n == 4 && seg.get(3).equals("restart")) {
            req.allow("POST");
            ClientSession s = find(seg.get(2));
            return onWorker(s, () -> {
                s.requestRestart();
                return null;
            });
        }
        throw new AdminApi.ApiError(404, "No resource at " + req.path());
    }

    /**
     * The filters of a {@code PATCH /v1/sessions/:id} (maxctrl's {@code alter session-filters}), in chain order.
     * MaxScale's per-session log levels ({@code log_info} …) are refused: Sluice has no per-session log level.
     */
    private List<dev.sluice.api.filter.Filter> patchedFilters(AdminRequest req) {
        JsonNode data = req.json().path("data");
        JsonNode params = data.at("/attributes/parameters");
        if (params.isObject() && params.size() > 0) {
            List<String> names = new ArrayList<>();
            params.fieldNames().forEachRemaining(names::add);
            throw new AdminApi.ApiError(400, "Session parameters " + names + " are not supported (a session "
                    + "accepts a filters relationship only)");
        }
        JsonNode rel = data.at("/relationships/filters/data");
        if (!rel.isArray()) {
            throw new AdminApi.ApiError(400, "Expected data.relationships.filters.data: an array of {\"id\", "
                    + "\"type\": \"filters\"}");
        }
        List<dev.sluice.api.filter.Filter> out = new ArrayList<>();
        for (JsonNode f : rel) {
            String name = f.path("id").asText();
            dev.sluice.api.filter.Filter filter = sluice.filter(name);
            if (filter == null) {
                throw new AdminApi.ApiError(400, "Not a valid filter: '" + name + "'");
            }
            out.add(filter);
        }
        return out;
    }

    private static long ttlSeconds(AdminRequest req) {
        String ttl = req.query().getOrDefault("ttl", "0");
        try {
            return Long.parseLong(ttl.isEmpty() ? "0" : ttl);
        } catch (NumberFormatException e) {
            throw new AdminApi.ApiError(400, "Invalid value for 'ttl': '" + ttl + "' (expected: seconds)");
        }
    }

    private ClientSession find(String text) {
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new AdminApi.ApiError(404, "No session with id '" + text + "' (expected: a number)");
        }
        ClientSession s = sluice.sessions().find(id);
        if (s == null) {
            throw new AdminApi.ApiError(404, "No session named '" + text + "'");
        }
        return s;
    }

    /** Runs {@code task} on the session's worker; a session that ended meanwhile answers 404. */
    private <T> CompletableFuture<T> onWorker(ClientSession s, java.util.concurrent.Callable<T> task) {
        return WorkerTasks.ask(s.worker(), workerTimeout, () -> {
            if (s.state().equals("Stopped")) {
                throw new AdminApi.ApiError(404, "No session named '" + s.sessionId() + "'");
            }
            return task.call();
        });
    }

    private CompletableFuture<List<Snapshot>> all() {
        List<CompletableFuture<List<Snapshot>>> asks = new ArrayList<>();
        for (Worker w : sluice.workers().all()) {
            asks.add(WorkerTasks.ask(w, workerTimeout, () -> {
                List<Snapshot> mine = new ArrayList<>();
                for (ClientSession s : w.sessions()) {
                    mine.add(snapshot(s));
                }
                return mine;
            }));
        }
        return CompletableFuture.allOf(asks.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            List<Snapshot> out = new ArrayList<>();
            asks.forEach(f -> out.addAll(f.join()));
            out.sort(Comparator.comparingLong(Snapshot::id));
            return out;
        });
    }

    /** Asks every worker to restart its sessions; completes with how many were asked. */
    private CompletableFuture<Integer> restartAll() {
        List<CompletableFuture<Integer>> asks = new ArrayList<>();
        for (Worker w : sluice.workers().all()) {
            asks.add(WorkerTasks.ask(w, workerTimeout, () -> {
                List<ClientSession> mine = new ArrayList<>(w.sessions());
                mine.forEach(ClientSession::requestRestart);
                return mine.size();
            }));
        }
        return CompletableFuture.allOf(asks.toArray(new CompletableFuture<?>[0]))
                .thenApply(done -> asks.stream().mapToInt(CompletableFuture::join).sum());
    }

    private static Snapshot snapshot(ClientSession s) {
        return new Snapshot(s.sessionId(), s.user(), s.clientHost(), s.serviceName(), s.listenerName(), s.state(),
                s.connectedAtMillis(), s.lastActivityMillis(), s.queryCount(), s.worker().index(),
                s.snapshotVersion(), s.latestSnapshotVersion(), s.restartPending(), s.backendServers(),
                s.lastStatements(), s.traceLines());
    }

    static JsonNode session(String base, Snapshot s) {
        long now = System.currentTimeMillis();
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        a.put("state", s.state());
        a.put("user", s.user());
        a.put("remote", s.remote());
        a.put("connected", HTTP_DATE.format(Instant.ofEpochMilli(s.connectedAtMillis())));
        a.put("seconds_alive", (now - s.connectedAtMillis()) / 1000.0);
        a.put("idle", (now - s.lastActivityMillis()) / 1000.0);
        a.put("query_count", s.queries());
        ArrayNode queries = a.putArray("queries"); // as MaxScale: the statements retain_last_statements keeps
        for (StatementHistory.Entry e : s.lastStatements()) {
            queries.addObject().put("statement", e.sql())
                    .put("received", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(e.atMillis())));
        }
        ArrayNode log = a.putArray("log"); // as MaxScale: the session trace (session_trace)
        s.log().forEach(log::add);
        a.put("thread", s.worker());
        a.put("listener", s.listener());
        ObjectNode config = a.putObject("configuration");
        config.put("snapshot_version", s.snapshotVersion());
        config.put("service_snapshot_version", s.latestVersion());
        config.put("restart_pending", s.restartPending());
        ObjectNode rel = JsonApi.MAPPER.createObjectNode();
        rel.set("services", JsonApi.relationship(base, "services", List.of(s.service())));
        rel.set("servers", JsonApi.relationship(base, "servers", s.backends()));
        return JsonApi.resource(base, "sessions", Long.toString(s.id()), a, rel);
    }
}
