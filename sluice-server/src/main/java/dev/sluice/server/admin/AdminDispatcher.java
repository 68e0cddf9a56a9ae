package dev.sluice.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The first stop of every authenticated request: answers the resources of the admin server itself (users,
 * {@code /v1/auth}, the globals, threads, logs, {@code /metrics}) and hands the object resources to
 * {@link AdminApi}. Module commands, which may block for as long as a switchover takes, and service reloads,
 * which wait for the user accounts to load, run on the {@code commands} executor and complete their answer
 * from there, so the admin event loop keeps serving; sessions are answered by the workers that own them.
 * Every answer then gets the {@code ?pretty=true} and {@code fields[TYPE]=…} treatment.
 *
 * <p>Called on the admin event loop; the returned future may complete on another thread.
 */
final class AdminDispatcher implements AutoCloseable {
    private final AdminApi api;
    private final UsersResource users;
    private final MaxScaleResource maxscale;
    private final PrometheusMetrics metrics;
    private final ExecutorService commands;
    private final SessionsResource sessions;
    private final SqlResource sql;

    /** {@code reload tls}: reads the certificates again; throws naming the file that cannot be read. */
    interface TlsReload {
        void reload() throws java.io.IOException;
    }

    private final QueryClassifierResource classifier;
    private final TlsReload tls;

    private final ConfigSync sync;

    AdminDispatcher(AdminApi api, UsersResource users, MaxScaleResource maxscale, PrometheusMetrics metrics,
                    ExecutorService commands, SessionsResource sessions, SqlResource sql,
                    QueryClassifierResource classifier, ConfigSync sync, TlsReload tls) {
        this.sync = sync;
        this.classifier = classifier;
        this.tls = tls;
        this.sessions = sessions;
        this.sql = sql;
        this.api = api;
        this.users = users;
        this.maxscale = maxscale;
        this.metrics = metrics;
        this.commands = commands;
    }

    CompletableFuture<AdminResponse> dispatch(AdminRequest req, boolean byPassword) {
        CompletableFuture<AdminResponse> answer;
        try {
            answer = route(req, byPassword);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((resp, err) -> err == null ? resp : failure(err))
                .thenApply(resp -> finish(req, resp));
    }

    private CompletableFuture<AdminResponse> route(AdminRequest req, boolean byPassword) {
        if (req.path().equals("/metrics") || req.path().equals("/metrics/")) {
            req.allow("GET");
            return done(new AdminResponse(200, PrometheusMetrics.CONTENT_TYPE, metrics.scrape(), List.of()));
        }
        List<String> seg = req.segments();
        int n = seg.size();
        if (n >= 2 && seg.get(0).equals("v1")) {
            switch (seg.get(1)) {
                case "auth":
                    if (n == 2) {
                        return done(users.auth(req, byPassword));
                    }
                    break;
                case "users":
                    return document(req, users.users(req, seg));
                case "services":
                    if (n == 4 && seg.get(3).equals("reload") && req.method().equals("POST")) {
                        // loading user accounts waits for the servers (up to their connect timeout): off the loop
                        AdminApi.Request forApi = req.forApi();
                        return CompletableFuture.supplyAsync(() -> AdminResponse.of(api.handle(forApi)), commands);
                    }
                    break;
                case "sql":
                    return sql.handle(req, seg);
                case "sessions":
                    // MaxScale answers its session actions (kill, alter, restart) with 200 and no body
                    return sessions.handle(req, seg).thenApply(d -> d == null ? AdminResponse.ok()
                            : json(req, d));
                case "maxscale":
                    if (n == 2) {
                        JsonNode doc = maxscale.maxscale(req);
                        if (doc != null && doc.at("/data/attributes").isObject()) {
                            ((com.fasterxml.jackson.databind.node.ObjectNode) doc.at("/data/attributes"))
                                    .set("config_sync", sync.status());
                        }
                        return document(req, doc);
                    }
                    if (seg.get(2).equals("threads") && n <= 4) {
                        return maxscale.threads(req, n == 4 ? seg.get(3) : null).thenApply(d -> json(req, d));
                    }
                    if (seg.get(2).equals("query_classifier") && (n == 3 || n == 4 && seg.get(3).equals("cache"))) {
                        return classifier.handle(req, n == 4).thenApply(d -> json(req, d));
                    }
                    if (seg.get(2).equals("tls") && n == 4 && seg.get(3).equals("reload")) {
                        req.allow("POST");
                        // certificate files are read off the admin loop
                        return CompletableFuture.supplyAsync(() -> {
                            try {
                                tls.reload();
                            } catch (java.io.IOException e) {
                                throw new AdminApi.ApiError(400, "TLS certificates not reloaded: " + e.getMessage());
                            }
                            return AdminResponse.noContent();
                        }, commands);
                    }
                    if (seg.get(2).equals("logs") && n == 3) {
                        return document(req, maxscale.logs(req));
                    }
                    if (seg.get(2).equals("logs") && n == 4 && seg.get(3).equals("flush")) {
                        return document(req, maxscale.flush(req));
                    }
                    if (seg.get(2).equals("logs") && n == 4 && seg.get(3).equals("entries")) {
                        return document(req, maxscale.entries(req));
                    }
                    if (seg.get(2).equals("modules") && n == 5) {
                        if (!req.principal().mayWrite()) {
                            // modules do not say which commands only read, so even GET may change the cluster
                            throw new AdminApi.ApiError(403, "Access denied: '" + req.principal().name()
                                    + "' is a basic account; module commands need an admin account");
                        }
                        AdminApi.Request forApi = req.forApi();
                        return CompletableFuture.supplyAsync(() -> AdminResponse.of(api.handle(forApi)), commands);
                    }
                    break;
                default:
                    break;
            }
        }
        return done(AdminResponse.of(api.handle(req.forApi())));
    }

    /** Closes the query API's connections. */
    @Override
    public void close() {
        sql.close();
    }

    private static CompletableFuture<AdminResponse> done(AdminResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private static CompletableFuture<AdminResponse> document(AdminRequest req, JsonNode doc) {
        return done(doc == null ? AdminResponse.noContent() : json(req, doc));
    }

    private static AdminResponse json(AdminRequest req, JsonNode doc) {
        return AdminResponse.json(200, write(doc, "true".equals(req.query().get("pretty"))));
    }

    private static String write(JsonNode doc, boolean pretty) {
        try {
            return pretty ? JsonApi.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc)
                    : JsonApi.MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    private static AdminResponse failure(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof AdminApi.ApiError e) {
            return AdminResponse.error(e.status, e.getMessage());
        }
        return AdminResponse.error(500, "Internal error: " + cause);
    }

    /** Sparse fieldsets on a successful JSON document (the resources build whole documents). */
    private static AdminResponse finish(AdminRequest req, AdminResponse resp) {
        Map<String, List<String>> fields = Fieldsets.parse(req.query());
        if (fields.isEmpty() || resp.status() != 200 || !AdminResponse.JSON.equals(resp.contentType())) {
            return resp;
        }
        try {
            JsonNode doc = JsonApi.MAPPER.readTree(resp.body());
            Fieldsets.apply(doc, fields);
            return new AdminResponse(200, resp.contentType(), write(doc, "true".equals(req.query().get("pretty"))),
                    resp.cookies());
        } catch (JsonProcessingException e) {
            return resp;
        }
    }
}
