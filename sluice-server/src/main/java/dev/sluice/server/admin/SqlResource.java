package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.net.ListenerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * MaxScale's query API, {@code /v1/sql}: an admin user opens a database connection to a server, a listener or
 * a service (its first TCP listener) with database credentials, runs SQL through it and gets the results as
 * JSON, then closes it. Each connection is bound to a token (a JWT whose subject is the connection id, given
 * as {@code ?token=} or in the {@code conn_id_sig_ID} cookie) and to the admin user who opened it: another
 * user's request is refused even with the token. Connections whose token has expired are closed at the next
 * request.
 *
 * <p>The connections are JDBC (MariaDB Connector/J) and block, so opening one and running statements happen on
 * the {@code sluice-admin-sql} threads, never on the admin event loop; a connection runs one request at a time
 * (a second one meanwhile gets 503). The map of connections is concurrent: the admin loop reads it, the SQL
 * threads add to it.
 */
final class SqlResource implements AutoCloseable {
    static final String TYPE = "sql";
    private static final Duration DEFAULT_AGE = Duration.ofHours(8);
    private static final String COOKIE = "conn_id_sig_";

    private final SluiceServer sluice;
    private final AdminTokens tokens = new AdminTokens("sluice-sql", Duration.ofDays(1));
    private final Map<String, SqlConnection> connections = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sluice-admin-sql");
        t.setDaemon(true);
        return t;
    });

    SqlResource(SluiceServer sluice) {
        this.sluice = sluice;
    }

    /** The query API is open to basic accounts too: what they may do is up to the database account they log in with. */
    static boolean isSqlPath(String uri) {
        return uri.equals("/v1/sql") || uri.startsWith("/v1/sql/") || uri.startsWith("/v1/sql?");
    }

    CompletableFuture<AdminResponse> handle(AdminRequest req, List<String> seg) {
        sweepExpired();
        int n = seg.size();
        if (n == 2) {
            req.allow("GET", "POST");
            if (req.method().equals("GET")) {
                ArrayNode all = JsonApi.MAPPER.createArrayNode();
                connections.values().stream().sorted((a, b) -> a.id().compareTo(b.id()))
                        .forEach(c -> all.add(resource(req.base(), c)));
                return done(json(200, JsonApi.document(req.self(), all)));
            }
            return open(req);
        }
        SqlConnection c = connections.get(seg.get(2));
        if (c == null) {
            throw new AdminApi.ApiError(404, "No SQL connection '" + seg.get(2) + "' (closed, expired, or never opened)");
        }
        if (n == 3 && req.method().equals("GET")) {
            return done(json(200, JsonApi.document(req.self(), resource(req.base(), c))));
        }
        if (n == 3) {
            req.allow("GET", "DELETE");
            authorise(req, c);
            connections.remove(c.id());
            return CompletableFuture.supplyAsync(() -> {
                c.close();
                return new AdminResponse(204, null, "", List.of(expiredCookie(c.id())));
            }, threads);
        }
        if (n == 4 && seg.get(3).equals("queries")) {
            req.allow("POST");
            authorise(req, c);
            JsonNode body = req.json();
            JsonNode sql = body.get("sql");
            if (sql == null || !sql.isTextual() || sql.asText().isBlank()) {
                throw new AdminApi.ApiError(400, "'sql' is missing or empty (expected: the SQL text to run)");
            }
            int maxRows = body.path("max_rows").asInt(1000);
            if (maxRows < 0) {
                throw new AdminApi.ApiError(400, "Invalid value for 'max_rows': " + maxRows
                        + " (expected: 0 for no limit, or a positive number)");
            }
            if (!c.tryAcquire()) {
                throw new AdminApi.ApiError(503, "SQL connection " + c.id() + " is busy with another request");
            }
            return CompletableFuture.supplyAsync(() -> {
                try {
                    SqlConnection.Outcome out = c.run(sql.asText(), maxRows);
                    if (out.fatal() != null) {
                        return AdminResponse.error(503, "The connection to " + c.target() + " was lost: "
                                + out.fatal() + " (close it with DELETE and open another)");
                    }
                    ObjectNode attributes = JsonApi.MAPPER.createObjectNode();
                    attributes.put("sql", sql.asText());
                    attributes.set("results", out.results());
                    attributes.put("execution_time", out.seconds());
                    String qid = c.id() + "." + out.number();
                    ObjectNode data = JsonApi.MAPPER.createObjectNode().put("id", qid).put("type", "queries");
                    data.set("attributes", attributes);
                    return json(201, JsonApi.document(req.base() + "/v1/sql/" + c.id() + "/queries/" + qid + "/",
                            data));
                } finally {
                    c.release();
                }
            }, threads);
        }
        throw new AdminApi.ApiError(404, "No resource at " + req.path());
    }

    private CompletableFuture<AdminResponse> open(AdminRequest req) {
        JsonNode body = req.json();
        String target = text(body, "target", true);
        String user = text(body, "user", true);
        String password = text(body, "password", false);
        String db = text(body, "db", false);
        int timeout = body.path("timeout").asInt(10);
        if (timeout <= 0) {
            throw new AdminApi.ApiError(400, "Invalid value for 'timeout': " + body.path("timeout")
                    + " (expected: seconds, at least 1)");
        }
        String maxAge = req.query().get("max-age");
        Duration age = maxAge != null && maxAge.matches("[1-9][0-9]{0,8}") ? Duration.ofSeconds(Long.parseLong(maxAge))
                : DEFAULT_AGE;
        String[] address = address(target);
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        String token = tokens.issue(id, age, now);
        long expires = now + Math.min(age.toMillis(), tokens.maxAge().toMillis());
        boolean persist = "yes".equals(req.query().get("persist"));
        return CompletableFuture.supplyAsync(() -> {
            SqlConnection c;
            try {
                c = SqlConnection.open(id, req.principal().name(), target, address[0], Integer.parseInt(address[1]),
                        user, password, db, timeout, expires);
            } catch (java.sql.SQLException e) {
                return AdminResponse.error(400, "Cannot connect to " + target + " (" + address[0] + ":" + address[1]
                        + ") as '" + user + "': " + SqlConnection.describe(e));
            }
            connections.put(id, c);
            ObjectNode doc = JsonApi.document(req.base() + "/v1/sql/" + id + "/", resource(req.base(), c));
            List<String> cookies = List.of();
            if (persist) {
                cookies = List.of(COOKIE + id + "=" + token + "; Path=/v1/sql/" + id + "; Max-Age="
                        + age.toSeconds() + "; HttpOnly; SameSite=Strict"
                        + (req.base().startsWith("https:") ? "; Secure" : ""));
            } else {
                doc.putObject("meta").put("token", token);
            }
            return new AdminResponse(201, AdminResponse.JSON, doc.toString(), cookies);
        }, threads);
    }

    /** {@code [host, port]} of a server, a listener, or a service's first TCP listener. */
    private String[] address(String target) {
        ServerRuntime server = sluice.server(target);
        if (server != null) {
            if (!server.socket().isEmpty()) {
                throw new AdminApi.ApiError(400, "Server '" + target + "' is reached through a Unix socket, which "
                        + "the SQL API cannot use (expected: a server with address and port)");
            }
            return new String[] {server.address(), String.valueOf(server.port())};
        }
        ListenerRuntime listener = sluice.listener(target);
        if (listener == null && sluice.service(target) != null) {
            listener = sluice.listeners().values().stream()
                    .filter(l -> l.context().service().name().equals(target) && !l.describe().startsWith("/"))
                    .findFirst().orElseThrow(() -> new AdminApi.ApiError(400, "Service '" + target
                            + "' has no TCP listener to connect through"));
        }
        if (listener == null) {
            throw new AdminApi.ApiError(404, "No server, listener or service named '" + target + "'");
        }
        String where = listener.describe();
        if (where.startsWith("/")) {
            throw new AdminApi.ApiError(400, "Listener '" + target + "' listens on a Unix socket, which the SQL "
                    + "API cannot use (expected: a TCP listener)");
        }
        String host = where.substring(0, where.lastIndexOf(':'));
        if (host.equals("::") || host.equals("0.0.0.0") || host.isEmpty()) {
            host = "127.0.0.1";
        }
        return new String[] {host, String.valueOf(listener.boundPort())};
    }

    private static String text(JsonNode body, String field, boolean mandatory) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (mandatory) {
                throw new AdminApi.ApiError(400, "'" + field + "' is missing (expected: " + switch (field) {
                    case "target" -> "the name of a server, listener or service";
                    default -> "a database user name";
                } + ")");
            }
            return "";
        }
        if (!v.isTextual()) {
            throw new AdminApi.ApiError(400, "'" + field + "' must be a string, not " + v);
        }
        return v.asText();
    }

    /** The request must carry this connection's token and come from the admin user who opened it. */
    private void authorise(AdminRequest req, SqlConnection c) {
        String token = req.query().get("token");
        String cookies = req.cookies();
        if (token == null && cookies != null) {
            for (io.netty.handler.codec.http.cookie.Cookie k
                    : io.netty.handler.codec.http.cookie.ServerCookieDecoder.LAX.decode(cookies)) {
                if (k.name().equals(COOKIE + c.id())) {
                    token = k.value();
                }
            }
        }
        if (token == null) {
            throw new AdminApi.ApiError(400, "Missing connection token (expected: ?token= from POST /v1/sql, or its "
                    + "cookie)");
        }
        if (!c.id().equals(tokens.verify(token, System.currentTimeMillis()))) {
            throw new AdminApi.ApiError(400, "Invalid or expired token for SQL connection " + c.id());
        }
        if (!c.owner().equals(req.principal().name())) {
            throw new AdminApi.ApiError(403, "SQL connection " + c.id() + " belongs to admin user '" + c.owner()
                    + "'");
        }
    }

    private void sweepExpired() {
        long now = System.currentTimeMillis();
        for (SqlConnection c : connections.values()) {
            if (c.expiresAtMillis() <= now && connections.remove(c.id(), c)) {
                threads.execute(c::close);
            }
        }
    }

    private static ObjectNode resource(String base, SqlConnection c) {
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        a.put("target", c.target());
        a.put("thread_id", c.threadId());
        a.put("seconds_idle", c.secondsIdle());
        String last = c.lastSql();
        if (last == null) {
            a.putNull("sql");
        } else {
            a.put("sql", last);
        }
        a.put("owner", c.owner());
        ObjectNode r = JsonApi.MAPPER.createObjectNode().put("id", c.id()).put("type", TYPE);
        r.set("attributes", a);
        r.putObject("links").put("self", base + "/v1/sql/" + c.id() + "/")
                .put("related", base + "/v1/sql/" + c.id() + "/queries/");
        return r;
    }

    private static String expiredCookie(String id) {
        return COOKIE + id + "=; Path=/v1/sql/" + id + "; Max-Age=0";
    }

    private static AdminResponse json(int status, JsonNode doc) {
        return AdminResponse.json(status, doc.toString());
    }

    private static CompletableFuture<AdminResponse> done(AdminResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    /** Closes every connection; waits a little for the SQL threads. */
    @Override
    public void close() {
        List<SqlConnection> all = new ArrayList<>(connections.values());
        connections.clear();
        threads.shutdownNow();
        all.forEach(SqlConnection::close);
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
