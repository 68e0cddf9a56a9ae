package dev.sluice.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.Module;
import dev.sluice.api.ModuleCommand;
import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import dev.sluice.classifier.MariaDbQueryClassifier;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.GlobalParams;
import dev.sluice.server.config.ListenerConfig;
import dev.sluice.server.config.ListenerParams;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.MonitorConfig;
import dev.sluice.server.config.MonitorParams;
import dev.sluice.server.config.ServerParams;
import dev.sluice.server.config.ServiceConfig;
import dev.sluice.server.config.ServiceParams;
import dev.sluice.server.core.MonitorRuntime;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.core.ServiceRuntime;
import dev.sluice.server.net.ListenerRuntime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The REST API's resources: a request (method, path, query) in, a status and a JSON:API document out. Runs on
 * the admin event loop; sessions, which routing workers own, are answered by {@link SessionsResource}.
 */
public final class AdminApi {
    /** A request as the HTTP layer hands it over; {@code base} is {@code http://host:port} for links. */
    public record Request(String method, String path, Map<String, String> query, String base, String body) {
        public Request(String method, String path, Map<String, String> query, String base) {
            this(method, path, query, base, "");
        }
    }

    /** A response: status, content type and body text. */
    public record Response(int status, String contentType, String body) {
        static Response noContent() {
            return new Response(204, null, "");
        }
    }

    private static final String JSON = "application/json";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final SluiceServer sluice;
    private final Supplier<ModuleRegistry> modules;
    private ModuleRegistry loadedModules;
    private MariaDbQueryClassifier classifier; // admin thread only
    private final ObjectMutations mutations;

    public AdminApi(SluiceServer sluice, Supplier<ModuleRegistry> modules) {
        this(sluice, modules, null);
    }

    /** @param sync the configuration synchronisation every object change goes through, or null */
    AdminApi(SluiceServer sluice, Supplier<ModuleRegistry> modules, ConfigSync sync) {
        this.sluice = sluice;
        this.modules = modules;
        this.mutations = new ObjectMutations(sluice, modules, sync);
    }

    /** Thrown by a resource to answer with an error document. */
    static final class ApiError extends RuntimeException {
        final int status;

        ApiError(int status, String detail) {
            super(detail, null, false, false);
            this.status = status;
        }
    }

    public Response handle(Request req) {
        try {
            JsonNode doc = route(req);
            if (doc == null) {
                return Response.noContent();
            }
            boolean pretty = "true".equals(req.query().get("pretty"));
            String body = pretty ? JsonApi.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc)
                    : JsonApi.MAPPER.writeValueAsString(doc);
            return new Response(200, JSON, body);
        } catch (ApiError e) {
            return error(e.status, e.getMessage());
        } catch (JsonProcessingException | RuntimeException e) {
            return error(500, "Internal error: " + e);
        }
    }

    static Response error(int status, String detail) {
        return new Response(status, JSON, JsonApi.errors(detail).toString());
    }

    private JsonNode route(Request req) {
        List<String> seg = new ArrayList<>();
        for (String s : req.path().split("/")) {
            if (!s.isEmpty()) {
                seg.add(java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        if (seg.isEmpty() || !seg.get(0).equals("v1") || seg.size() < 2) {
            throw new ApiError(404, "No resource at " + req.path());
        }
        if (ObjectMutations.handles(req.method(), seg)) {
            return mutations.handle(req, seg);
        }
        String collection = seg.get(1);
        int n = seg.size();
        String self = req.base() + req.path();
        switch (collection) {
            case "maxscale":
                // GET|PATCH /v1/maxscale, threads and logs: MaxScaleResource (AdminDispatcher)
                if (n == 2) {
                    break;
                }
                switch (seg.get(2)) {
                    case "modules":
                        if (n == 3) {
                            allow(req, "GET");
                            ArrayNode all = JsonApi.MAPPER.createArrayNode();
                            allModules().forEach(m -> all.add(module(req.base(), m)));
                            return JsonApi.document(self, all);
                        }
                        if (n == 4) {
                            allow(req, "GET");
                            ModuleEntry m = allModules().stream().filter(e -> e.name().equals(seg.get(3)))
                                    .findFirst().orElseThrow(() -> notFound("module", seg.get(3)));
                            return JsonApi.document(self, module(req.base(), m));
                        }
                        if (n == 5) {
                            allow(req, "GET", "POST");
                            return moduleCommand(req, seg.get(3), seg.get(4));
                        }
                        break;
                    case "query_classifier":
                        if (n == 4 && seg.get(3).equals("classify")) {
                            allow(req, "GET");
                            return JsonApi.document(self, classify(req.query().get("sql")));
                        }
                        break;
                    default:
                        break;
                }
                break;
            case "servers":
                if (n == 2) {
                    allow(req, "GET");
                    return collection(self, sluice.servers().keySet(), id -> server(req.base(), id));
                }
                if (n == 3) {
                    allow(req, "GET");
                    return JsonApi.document(self, server(req.base(), seg.get(2)));
                }
                if (n == 4 && (seg.get(3).equals("set") || seg.get(3).equals("clear"))) {
                    allow(req, "PUT");
                    setServerState(seg.get(2), req.query().get("state"), seg.get(3).equals("set"),
                            "yes".equals(req.query().get("force")) || "true".equals(req.query().get("force")));
                    return null;
                }
                break;
            case "services", "listeners", "monitors":
                if (n == 2 || n == 3) {
                    allow(req, "GET");
                    Set<String> ids = switch (collection) {
                        case "services" -> sluice.services().keySet();
                        case "listeners" -> sluice.listeners().keySet();
                        default -> sluice.monitors().keySet();
                    };
                    java.util.function.Function<String, JsonNode> one = switch (collection) {
                        case "services" -> id -> service(req.base(), id);
                        case "listeners" -> id -> listener(req.base(), id);
                        default -> id -> monitor(req.base(), id);
                    };
                    return n == 2 ? collection(self, ids, one) : JsonApi.document(self, one.apply(seg.get(2)));
                }
                if (collection.equals("services") && (n == 4 || n == 5) && seg.get(3).equals("listeners")) {
                    allow(req, "GET");
                    List<String> mine = serviceListeners(seg.get(2));
                    if (n == 4) {
                        return collection(self, new java.util.LinkedHashSet<>(mine), id -> listener(req.base(), id));
                    }
                    if (!mine.contains(seg.get(4))) {
                        throw new ApiError(404, "Service '" + seg.get(2) + "' has no listener named '" + seg.get(4)
                                + "'");
                    }
                    return JsonApi.document(self, listener(req.base(), seg.get(4)));
                }
                break;
            case "filters":
                if (n == 2 || n == 3) {
                    allow(req, "GET");
                    return FiltersResource.get(sluice, req.base(), self, n == 3 ? seg.get(2) : null);
                }
                break;
            default:
                break;
        }
        throw new ApiError(404, "No resource at " + req.path());
    }

    /**
     * {@code POST /v1/maxscale/modules/MODULE/COMMAND?MONITOR&ARG1&ARG2}: MaxScale's module command form, the
     * arguments being the query keys in order; {@code key=value} pairs (MaxScale 24.08's key-value switchover,
     * {@code ?monitor=M&old_primary_maint=1}) reach the command as {@code key=value}, {@code monitor=} as the
     * monitor name. Runs the command on the calling thread (it may block until a
     * switchover ends) and answers 200 with {@code meta.message}, or 400 with the reason it was refused.
     */
    private JsonNode moduleCommand(Request req, String module, String command) {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> e : req.query().entrySet()) {
            if (e.getKey().equals("pretty")) {
                continue;
            }
            if (e.getValue().isEmpty()) {
                args.add(e.getKey()); // positional: ?MONITOR&ARG1&ARG2
            } else if (args.isEmpty() && e.getKey().equals("monitor")) {
                args.add(e.getValue()); // key-value form (MaxScale 24.08): ?monitor=M&new_primary=S&...
            } else {
                args.add(e.getKey() + "=" + e.getValue());
            }
        }
        if (args.isEmpty()) {
            throw new ApiError(400, "Module command " + module + " " + command + " needs the monitor name as its "
                    + "first argument (?MONITOR&...)");
        }
        String monitorName = args.get(0);
        var monitorConfig = sluice.config().monitors().get(monitorName);
        var runtime = sluice.monitors().get(monitorName);
        if (monitorConfig == null || runtime == null) {
            throw notFound("monitor", monitorName);
        }
        if (!monitorConfig.module().answersTo(module)) {
            throw new ApiError(400, "Monitor " + monitorName + " is a " + monitorConfig.module().name()
                    + " monitor, not " + module);
        }
        var result = runtime.monitor().command(command, List.copyOf(args.subList(1, args.size())));
        if (!result.ok()) {
            throw new ApiError(400, result.message());
        }
        ObjectNode doc = JsonApi.MAPPER.createObjectNode();
        doc.putObject("links").put("self", req.base() + req.path());
        doc.putObject("meta").put("message", result.message());
        return doc;
    }

    private static void allow(Request req, String... methods) {
        for (String m : methods) {
            if (m.equals(req.method())) {
                return;
            }
        }
        throw new ApiError(405, "Method " + req.method() + " is not allowed on " + req.path()
                + " (expected: " + String.join(", ", methods) + ")");
    }

    private static ApiError notFound(String type, String id) {
        return new ApiError(404, "No " + type + " named '" + id + "'");
    }

    private static JsonNode collection(String self, Set<String> ids, java.util.function.Function<String, JsonNode> one) {
        ArrayNode all = JsonApi.MAPPER.createArrayNode();
        for (String id : ids) {
            all.add(one.apply(id));
        }
        return JsonApi.document(self, all);
    }

    // ---- maxscale

    static String version() {
        String v = SluiceServer.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    // ---- modules

    /** A module as the API shows it: plugins and the core object types ("maxscale", "servers", …). */
    record ModuleEntry(String name, String type, String version, String description, ParamSpec spec,
                       List<ModuleCommand> commands) {
        ModuleEntry(String name, String type, String version, String description, ParamSpec spec) {
            this(name, type, version, description, spec, List.of());
        }
    }

    private synchronized List<ModuleEntry> allModules() {
        if (loadedModules == null) {
            loadedModules = modules.get();
        }
        List<ModuleEntry> out = new ArrayList<>();
        out.add(new ModuleEntry("maxscale", "Core", version(), "Global parameters", GlobalParams.SPEC));
        out.add(new ModuleEntry("servers", "Server", version(), "Server objects", ServerParams.SPEC));
        out.add(new ModuleEntry("listeners", "Listener", version(), "Listener objects", ListenerParams.SPEC));
        out.add(new ModuleEntry("services", "Service", version(), "Service objects", ServiceParams.SPEC));
        out.add(new ModuleEntry("monitors", "Monitor", version(), "Monitor objects", MonitorParams.SPEC));
        List<Module> plugins = new ArrayList<>(loadedModules.all());
        plugins.sort(Comparator.comparing(Module::name));
        for (Module m : plugins) {
            String kind = m.kind().name();
            out.add(new ModuleEntry(m.name(), kind.charAt(0) + kind.substring(1).toLowerCase(), m.version(),
                    m.description(), m.spec(), m.commands()));
        }
        return out;
    }

    static JsonNode module(String base, ModuleEntry m) {
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        a.put("module_type", m.type());
        a.put("version", m.version());
        a.put("description", m.description());
        a.put("maturity", "GA");
        ArrayNode params = a.putArray("parameters");
        for (Param<?> p : m.spec().params()) {
            ObjectNode o = params.addObject();
            o.put("name", p.name());
            o.put("type", p.kind().restName());
            o.set("default_value", p.defaultValue() == null ? JsonApi.MAPPER.nullNode()
                    : p.kind() == dev.sluice.api.config.ParamKind.PASSWORD ? JsonApi.MAPPER.getNodeFactory()
                            .textNode("") : JsonApi.value(p, p.defaultValue()));
            o.put("mandatory", p.isMandatory());
            o.put("modifiable", p.isModifiable());
            o.put("description", p.description());
            if (!p.enumValues().isEmpty()) {
                ArrayNode ev = o.putArray("enum_values");
                p.enumValues().forEach(ev::add);
            }
        }
        ArrayNode commands = a.putArray("commands");
        m.commands().forEach(c -> commands.add(command(base, m.name(), c)));
        ObjectNode r = JsonApi.resource(base, "modules", m.name(), a, null);
        ((ObjectNode) r.get("links")).put("self", base + "/v1/maxscale/modules/" + m.name() + "/");
        return r;
    }

    /** A module command as MaxScale lists it: {@code module_command} with its arguments' types and bounds. */
    private static JsonNode command(String base, String module, ModuleCommand c) {
        ObjectNode o = JsonApi.MAPPER.createObjectNode();
        o.put("id", c.name());
        o.put("type", "module_command");
        o.putObject("links").put("self", base + "/v1/maxscale/modules/" + module + "/" + c.name() + "/");
        ObjectNode a = o.putObject("attributes");
        a.put("method", c.method());
        a.put("description", c.description());
        a.put("arg_min", c.minArguments());
        a.put("arg_max", c.maxArguments());
        ArrayNode params = a.putArray("parameters");
        for (ModuleCommand.Parameter p : c.parameters()) {
            params.addObject().put("description", p.description()).put("type", p.type())
                    .put("required", p.required());
        }
        return o;
    }

    // ---- query classifier

    private JsonNode classify(String sql) {
        if (sql == null) {
            throw new ApiError(400, "Missing parameter 'sql' (expected: /v1/maxscale/query_classifier/classify?sql=…)");
        }
        if (classifier == null) {
            classifier = MariaDbQueryClassifier.forWorker(1 << 20);
        }
        QueryInfo info = classifier.classify(sql, QueryContext.DEFAULT);
        ObjectNode params = JsonApi.MAPPER.createObjectNode();
        params.put("parse_result", "Parsed");
        params.put("type_mask", QueryType.names(info.types()));
        params.put("operation", info.operation().toString());
        params.put("canonical", info.canonical());
        params.put("multi_statement", info.multiStatement());
        ArrayNode tables = params.putArray("tables");
        info.tables().forEach(tables::add);
        ArrayNode dbs = params.putArray("databases");
        info.databases().forEach(dbs::add);
        ArrayNode fns = params.putArray("functions");
        info.functions().forEach(fns::add);
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        a.set("parameters", params);
        ObjectNode r = JsonApi.MAPPER.createObjectNode();
        r.put("id", "classify");
        r.put("type", "classify");
        r.set("attributes", a);
        return r;
    }

    // ---- servers

    private JsonNode server(String base, String name) {
        ServerRuntime s = sluice.servers().get(name);
        if (s == null) {
            throw notFound("server", name);
        }
        ServerStatus st = s.status();
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        String state = st.stateString();
        if (st.is(StatusBit.DRAINING) && s.connections.get() == 0) {
            state = state.replace("Draining", "Drained"); // MaxScale's word once the last connection is gone
        }
        a.put("state", state);
        a.put("version_string", s.version() == null ? "" : s.version());
        a.put("node_id", st.serverId());
        a.put("replication_lag", st.replicationLag());
        a.put("read_only", st.readOnly());
        a.put("gtid_binlog_pos", st.gtidBinlogPos());
        a.put("gtid_current_pos", st.gtidCurrentPos());
        ObjectNode stats = a.putObject("statistics");
        stats.put("connections", s.connections.get());
        stats.put("total_connections", s.totalConnections.sum());
        stats.put("routed_packets", s.routedPackets.sum());
        stats.put("reused_connections", s.pooledReuses.sum());
        stats.put("persistent_connections_max", s.persistPoolMax());
        ServerStatisticsJson.addTo(stats, s);
        a.set("parameters", JsonApi.parameters(ServerParams.SPEC, s.params()));
        ObjectNode rel = JsonApi.MAPPER.createObjectNode();
        List<String> services = new ArrayList<>();
        sluice.services().forEach((n, svc) -> {
            if (svc.servers().contains(s)) {
                services.add(n);
            }
        });
        List<String> monitors = new ArrayList<>();
        sluice.monitors().forEach((n, m) -> {
            if (m.servers().contains(s)) {
                monitors.add(n);
            }
        });
        if (!services.isEmpty()) {
            rel.set("services", JsonApi.relationship(base, "services", services));
        }
        if (!monitors.isEmpty()) {
            rel.set("monitors", JsonApi.relationship(base, "monitors", monitors));
        }
        return JsonApi.resource(base, "servers", name, a, rel);
    }

    /**
     * {@code PUT /v1/servers/:name/set|clear?state=…[&force=yes]}, as MaxScale: {@code maintenance} and {@code drain}
     * on any server; {@code master}, {@code slave}, {@code running} and {@code synced} only on a server no monitor
     * watches (a monitor would overwrite them). Maintenance closes the sessions using the server (each after its
     * transaction; {@code force=yes}: at once). A primary cannot be drained.
     */
    private void setServerState(String name, String state, boolean on, boolean force) {
        ServerRuntime s = sluice.servers().get(name);
        if (s == null) {
            throw notFound("server", name);
        }
        StatusBit bit = switch (state == null ? "" : state) {
            case "maintenance" -> StatusBit.MAINTENANCE;
            case "drain" -> StatusBit.DRAINING;
            case "master" -> StatusBit.MASTER;
            case "slave" -> StatusBit.SLAVE;
            case "running" -> StatusBit.RUNNING;
            case "synced" -> StatusBit.SYNCED;
            default -> throw new ApiError(400, "Invalid or missing value for the 'state' parameter: '"
                    + (state == null ? "" : state) + "' (expected: maintenance, drain, master, slave, running or "
                    + "synced)");
        };
        boolean manual = (bit.mask() & StatusBit.MANUAL_BITS) != 0;
        if (!manual) {
            List<String> watchers = new ArrayList<>();
            sluice.monitors().forEach((n, m) -> {
                if (m.servers().contains(s)) {
                    watchers.add(n);
                }
            });
            if (!watchers.isEmpty()) {
                throw new ApiError(400, "Server '" + name + "' is monitored by " + String.join(", ", watchers)
                        + ", so only the maintenance and drain states can be set or cleared manually; the state "
                        + "was not modified");
            }
            s.setUnmonitoredBit(bit, on);
            return;
        }
        if (bit == StatusBit.DRAINING && on && s.status().isMaster()) {
            throw new ApiError(400, "Server '" + name + "' is the primary and cannot be drained (switch over first)");
        }
        s.setManualBit(bit, on);
        if (bit == StatusBit.MAINTENANCE && on) {
            for (dev.sluice.server.session.Worker w : sluice.workers().all()) {
                w.eventLoop().execute(() -> List.copyOf(w.sessions()).forEach(cs -> cs.serverInMaintenance(s, force)));
            }
        }
    }

    // ---- services

    private JsonNode service(String base, String name) {
        ServiceRuntime s = sluice.services().get(name);
        ServiceConfig sc = sluice.config().services().get(name);
        if (s == null || sc == null) {
            throw notFound("service", name);
        }
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        a.put("router", sc.router().name());
        a.put("state", s.isStopped() ? "Stopped" : "Started");
        a.put("started", HTTP_DATE.format(Instant.ofEpochMilli(sluice.startedAtMillis())));
        a.put("connections", s.currentSessions.get());
        a.put("total_connections", s.totalSessions.sum());
        ObjectNode stats = a.putObject("statistics");
        stats.put("connections", s.currentSessions.get());
        stats.put("total_connections", s.totalSessions.sum());
        long routed = 0;
        for (ServerRuntime srv : s.servers()) {
            routed += srv.routedPackets.sum();
        }
        stats.put("routed_packets", s.routedPackets.sum());
        stats.put("routed_packets_of_its_servers", routed);
        a.set("router_diagnostics", JsonApi.tree(s.router().diagnostics()));
        ArrayNode users = a.putArray("users"); // maxctrl's "show dbusers": the accounts loaded from the servers
        for (dev.sluice.server.auth.UserAccount u : s.accounts().current().accounts()) {
            ObjectNode o = users.addObject();
            o.put("user", u.user());
            o.put("host", u.host());
            o.put("plugin", u.plugin());
            o.put("ssl", u.requiresTls());
            o.put("global_priv", u.globalDbAccess());
            o.put("is_role", u.isRole());
            o.put("default_role", u.defaultRole() == null ? "" : u.defaultRole());
        }
        a.set("parameters", JsonApi.parameters(ServiceParams.SPEC.plus(sc.router().spec()), s.params()));
        ObjectNode rel = JsonApi.MAPPER.createObjectNode();
        if (sc.cluster() == null) {
            // as MaxScale: a service over a cluster has the monitor as its target, not the monitor's servers
            List<String> servers = new ArrayList<>();
            List<String> services = new ArrayList<>();
            for (String t : sc.servers()) {
                (sluice.config().services().containsKey(t) ? services : servers).add(t);
            }
            rel.set("servers", JsonApi.relationship(base, "servers", servers));
            rel.set("services", JsonApi.relationship(base, "services", services));
        }
        rel.set("filters", JsonApi.relationship(base, "filters", sc.filters()));
        List<String> listeners = new ArrayList<>();
        for (ListenerConfig lc : sluice.config().listeners().values()) {
            if (lc.service().equals(name)) {
                listeners.add(lc.name());
            }
        }
        rel.set("listeners", JsonApi.relationship(base, "listeners", listeners));
        if (sc.cluster() != null) {
            rel.set("monitors", JsonApi.relationship(base, "monitors", List.of(sc.cluster())));
        }
        return JsonApi.resource(base, "services", name, a, rel);
    }

    // ---- listeners

    /** The listeners feeding {@code service}; 404 for an unknown service. */
    List<String> serviceListeners(String service) {
        if (!sluice.config().services().containsKey(service)) {
            throw notFound("service", service);
        }
        List<String> out = new ArrayList<>();
        for (ListenerConfig lc : sluice.config().listeners().values()) {
            if (lc.service().equals(service)) {
                out.add(lc.name());
            }
        }
        return out;
    }

    private JsonNode listener(String base, String name) {
        ListenerRuntime l = sluice.listeners().get(name);
        ListenerConfig lc = sluice.config().listeners().get(name);
        if (l == null || lc == null) {
            throw notFound("listener", name);
        }
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        a.put("state", l.isListening() ? "Running" : "Stopped");
        a.put("bound_port", l.boundPort());
        a.put("description", l.describe());
        a.set("parameters", JsonApi.parameters(ListenerParams.SPEC, lc.values()));
        ObjectNode rel = JsonApi.MAPPER.createObjectNode();
        rel.set("services", JsonApi.relationship(base, "services", List.of(lc.service())));
        return JsonApi.resource(base, "listeners", name, a, rel);
    }

    // ---- monitors

    private JsonNode monitor(String base, String name) {
        MonitorRuntime m = sluice.monitors().get(name);
        MonitorConfig mc = sluice.config().monitors().get(name);
        if (m == null || mc == null) {
            throw notFound("monitor", name);
        }
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        a.put("module", mc.module().name());
        a.put("state", m.isRunning() ? "Running" : "Stopped");
        a.put("ticked", m.monitor().hasTicked());
        a.set("monitor_diagnostics", JsonApi.tree(m.monitor().diagnostics()));
        a.set("parameters", JsonApi.parameters(MonitorParams.SPEC.plus(mc.module().spec()), mc.values()));
        ObjectNode rel = JsonApi.MAPPER.createObjectNode();
        rel.set("servers", JsonApi.relationship(base, "servers",
                m.servers().stream().map(ServerRuntime::name).toList()));
        List<String> users = new ArrayList<>();
        sluice.config().services().values().forEach(sc -> {
            if (name.equals(sc.cluster())) {
                users.add(sc.name());
            }
        });
        rel.set("services", JsonApi.relationship(base, "services", users));
        return JsonApi.resource(base, "monitors", name, a, rel);
    }

    /** For tests: the query parameters of a raw query string. */
    static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(java.net.URLDecoder.decode(k, java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }
}
