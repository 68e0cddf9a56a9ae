package dev.sluice.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.Module;
import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.admin.AdminApi.ApiError;
import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConfigProblem;
import dev.sluice.server.config.ConfigSections;
import dev.sluice.server.config.ConfigSections.Section;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.PersistedChanges;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.core.ServiceRuntime;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The REST API's write side for servers, services, listeners, monitors and filters (MaxScale's shapes): {@code POST}
 * creates, {@code PATCH} alters parameters and relationships, {@code DELETE} destroys ({@code force=yes}
 * unlinks or destroys what depends on the object first), {@code PUT …/start|stop}, {@code POST
 * /v1/services/:name/reload}.
 *
 * <p>Every change is made on a copy of the configuration's sections and validated by the configuration loader
 * (the same ParamSpecs and cross-object rules as a file) before anything runs: a bad request answers 400
 * naming the parameter, 404 for an unknown object, 400 (as MaxScale) for a duplicate or an object in use, and the running
 * configuration is unchanged. Runs on the admin thread.
 */
final class ObjectMutations {
    private static final Map<String, String> TYPES = Map.of("servers", "server", "services", "service",
            "listeners", "listener", "monitors", "monitor", "filters", "filter");
    /** Parameters that carry relationships: changed by links, always modifiable. */
    private static final Set<String> LINK_PARAMS = Set.of("servers", "targets", "cluster", "filters", "service");
    /** The relationship kinds of MaxScale's objects. */
    private static final Set<String> RELATIONSHIPS = Set.of("servers", "services", "monitors", "filters", "listeners");

    private final SluiceServer sluice;
    private final Supplier<ModuleRegistry> modules;
    private ModuleRegistry registry; // admin thread only

    private final ConfigSync sync; // null: no config_sync_cluster machinery (tests)

    ObjectMutations(SluiceServer sluice, Supplier<ModuleRegistry> modules, ConfigSync sync) {
        this.sluice = sluice;
        this.modules = modules;
        this.sync = sync;
    }

    /** True for the requests this class answers. */
    static boolean handles(String method, List<String> seg) {
        if (seg.size() < 2 || method.equals("GET")) {
            return false;
        }
        String collection = seg.get(1);
        int n = seg.size();
        if (collection.equals("services") && n == 4 && seg.get(3).equals("reload")) {
            return method.equals("POST");
        }
        if (collection.equals("services") && (n == 4 || n == 5) && seg.get(3).equals("listeners")) {
            return true;
        }
        if (!TYPES.containsKey(collection)) {
            return false;
        }
        return n == 2 || n == 3
                || (n == 4 && (seg.get(3).equals("start") || seg.get(3).equals("stop")))
                || (n == 5 && seg.get(3).equals("relationships"));
    }

    /** Answers a request {@link #handles} accepted; null means 204 No Content. */
    JsonNode handle(AdminApi.Request req, List<String> seg) {
        String collection = seg.get(1);
        int n = seg.size();
        String method = req.method();
        if (collection.equals("services") && n >= 4 && seg.get(3).equals("reload")) {
            reload(seg.get(2));
            return null;
        }
        if (collection.equals("services") && n >= 4 && seg.get(3).equals("listeners")) {
            if (n == 4) {
                allow(method, "POST");
                create("listener", body(req), seg.get(2));
            } else {
                allow(method, "DELETE");
                Section l = sections().get(seg.get(4)).filter(x -> x.type().equals("listener")).orElse(null);
                if (l == null || !seg.get(2).equals(l.param("service"))) {
                    throw new ApiError(404, "Service '" + seg.get(2) + "' has no listener named '" + seg.get(4) + "'");
                }
                destroy("listener", seg.get(4), false);
            }
            return null;
        }
        String type = TYPES.get(collection);
        if (n == 2) {
            allow(method, "POST");
            create(type, body(req), null);
        } else if (n == 3) {
            allow(method, "PATCH", "DELETE");
            if (method.equals("PATCH")) {
                JsonNode data = data(body(req));
                alter(type, seg.get(2), data.path("attributes").path("parameters"), data.path("relationships"),
                        data.path("attributes"));
            } else {
                destroy(type, seg.get(2), "yes".equals(req.query().get("force")));
            }
        } else if (n == 4) {
            allow(method, "PUT");
            startStop(type, seg.get(2), seg.get(3).equals("start"));
        } else {
            allow(method, "PATCH");
            JsonNode links = JsonApi.MAPPER.createObjectNode().set(seg.get(4), body(req));
            alter(type, seg.get(2), JsonApi.MAPPER.missingNode(), links, JsonApi.MAPPER.missingNode());
        }
        return null;
    }

    // ---- create

    private void create(String type, JsonNode body, String listenerService) {
        JsonNode data = data(body);
        JsonNode idNode = data.get("id");
        if (idNode == null || !idNode.isTextual() || idNode.asText().isBlank()) {
            throw new ApiError(400, "Missing data.id: the name of the new " + type);
        }
        String name = idNode.asText();
        JsonNode declared = data.get("type");
        if (declared != null && !declared.asText().equals(type + "s")) {
            throw new ApiError(400, "data.type is '" + declared.asText() + "' (expected: " + type + "s)");
        }
        if (name.equalsIgnoreCase("maxscale")) {
            throw new ApiError(400, "The name 'maxscale' is reserved for the global section");
        }
        ConfigSections sections = sections();
        sections.get(name).ifPresent(s -> {
            throw new ApiError(400, "A " + s.type() + " named '" + name + "' already exists");
        });
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode attributes = data.path("attributes");
        copyModule(attributes, type, params);
        putAll(params, attributes.path("parameters"), name, null);
        if (listenerService != null) {
            params.put("service", listenerService);
        }
        Section created = new Section(name, type, params);
        sections = sections.with(created);
        sections = applyRelationships(sections, created, data.path("relationships"));
        apply(sections);
    }

    /** MaxScale puts a service's router and a monitor's module in the attributes, beside the parameters. */
    private static void copyModule(JsonNode attributes, String type, Map<String, String> params) {
        String key = type.equals("service") ? "router"
                : type.equals("monitor") || type.equals("filter") ? "module" : null;
        if (key != null && attributes.hasNonNull(key)) {
            params.put(key, attributes.get(key).asText());
        }
    }

    // ---- alter

    private void alter(String type, String name, JsonNode parameters, JsonNode relationships, JsonNode attributes) {
        ConfigSections sections = sections();
        Section current = find(sections, type, name);
        Map<String, String> params = new LinkedHashMap<>(current.params());
        Map<String, String> changed = new LinkedHashMap<>();
        putAll(changed, parameters, name, current);
        if (attributes.isObject()) {
            copyModule(attributes, type, changed);
        }
        ParamSpec spec = ConfigSections.spec(current, registry()).orElse(ParamSpec.of());
        for (Map.Entry<String, String> e : changed.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            Param<?> param = spec.find(key).orElse(null);
            if (param != null && !param.isModifiable() && !LINK_PARAMS.contains(param.name())
                    && !sameValue(param, params.get(param.name()), value)) {
                throw new ApiError(400, "Parameter '" + key + "' of " + type + " '" + name
                        + "' cannot be modified at runtime (destroy and create the " + type + " instead)");
            }
            String canonical = param == null ? key : param.name();
            if (value == null) {
                params.remove(canonical);
            } else {
                params.put(canonical, value);
            }
        }
        Section altered = new Section(name, type, params);
        sections = sections.with(altered);
        sections = applyRelationships(sections, altered, relationships);
        apply(sections);
    }

    private static boolean sameValue(Param<?> param, String before, String after) {
        try {
            Object a = before == null ? param.defaultValue() : param.parse(before);
            Object b = after == null ? param.defaultValue() : param.parse(after);
            return java.util.Objects.equals(a, b);
        } catch (dev.sluice.api.config.ParamException e) {
            return false; // the validation reports the bad value
        }
    }

    // ---- relationships

    /**
     * Applies MaxScale's relationship objects ({@code {"servers": {"data": [{"id": …}]}}}): each one given
     * replaces that relationship of {@code self} entirely; the change is written into whichever section
     * holds the link in the configuration file.
     */
    private ConfigSections applyRelationships(ConfigSections sections, Section self, JsonNode relationships) {
        if (relationships.isMissingNode() || relationships.isNull()) {
            return sections;
        }
        if (!relationships.isObject()) {
            throw new ApiError(400, "data.relationships must be an object");
        }
        if (self.type().equals("service") && (relationships.has("servers") || relationships.has("services"))) {
            sections = setTargets(sections, sections.get(self.name()).orElseThrow(), relationships);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = relationships.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> ids = ids(e.getKey(), e.getValue());
            String rel = e.getKey();
            Section me = sections.get(self.name()).orElseThrow();
            sections = switch (me.type() + "." + rel) {
                case "server.services" -> setMembership(sections, "service", "servers", me.name(), ids);
                case "server.monitors" -> setMembership(sections, "monitor", "servers", me.name(), ids);
                case "service.servers", "service.services" -> sections; // setTargets, above
                case "monitor.services" -> setClusterUsers(sections, me.name(), ids);
                case "service.filters" -> sections.with(me.with("filters", ids.isEmpty() ? null
                        : String.join("|", ids))); // MaxScale's separator; the chain order is the list order
                case "service.monitors" -> sections.with(me.with("cluster", single(rel, ids, true)));
                case "service.listeners" -> setListeners(sections, me.name(), ids);
                case "listener.services" -> sections.with(me.with("service", single(rel, ids, false)));
                case "monitor.servers" -> sections.with(me.with("servers", ids.isEmpty() ? null
                        : String.join(",", ids)));
                default -> {
                    // maxctrl's link/unlink send back every relationship kind it knows, empty where the object has
                    // none (a monitor's "filters"): an empty one changes nothing
                    if (!ids.isEmpty() || !RELATIONSHIPS.contains(rel)) {
                        throw new ApiError(400, "A " + me.type() + " has no relationship '" + rel + "'");
                    }
                    yield sections;
                }
            };
        }
        return sections;
    }

    /**
     * A service's routing targets from its {@code servers} and {@code services} relationships (MaxScale keeps
     * both in {@code targets}); one not given keeps its current members. Written as {@code servers=} while only
     * servers are named and the service did not use {@code targets=}, else as {@code targets=}.
     */
    private static ConfigSections setTargets(ConfigSections sections, Section me, JsonNode relationships) {
        boolean usesTargets = me.param("targets") != null;
        List<String> current = ConfigSections.splitList(me.params().getOrDefault(usesTargets ? "targets" : "servers",
                ""));
        List<String> servers = new ArrayList<>();
        List<String> services = new ArrayList<>();
        for (String t : current) {
            boolean isService = sections.get(t).map(x -> x.type().equals("service")).orElse(false);
            (isService ? services : servers).add(t);
        }
        if (relationships.has("servers")) {
            servers = ids("servers", relationships.get("servers"));
        }
        if (relationships.has("services")) {
            services = ids("services", relationships.get("services"));
        }
        for (String svc : services) {
            sections.get(svc).filter(x -> x.type().equals("service")).orElseThrow(() -> new ApiError(400,
                    "Relationship to an unknown service: no service named '" + svc + "'"));
        }
        List<String> all = new ArrayList<>(servers);
        all.addAll(services);
        if (services.isEmpty() && !usesTargets) {
            return sections.with(me.with("servers", servers.isEmpty() ? null : String.join(",", servers)));
        }
        return sections.with(me.with("servers", null).with("targets", all.isEmpty() ? null : String.join(",", all)));
    }

    /** The services that use {@code monitor} as their {@code cluster=}: exactly {@code services} afterwards. */
    private static ConfigSections setClusterUsers(ConfigSections sections, String monitor, List<String> services) {
        for (String svc : services) {
            sections.get(svc).filter(x -> x.type().equals("service")).orElseThrow(() -> new ApiError(400,
                    "Relationship to an unknown service: no service named '" + svc + "'"));
        }
        for (Section s : sections.ofType("service")) {
            boolean want = services.contains(s.name());
            if (want && !monitor.equals(s.param("cluster"))) {
                sections = sections.with(s.with("cluster", monitor));
            } else if (!want && monitor.equals(s.param("cluster"))) {
                sections = sections.with(s.with("cluster", null));
            }
        }
        return sections;
    }

    private static List<String> ids(String rel, JsonNode node) {
        JsonNode data = node.path("data");
        if (data.isNull()) {
            return List.of();
        }
        if (!data.isArray()) {
            throw new ApiError(400, "relationships." + rel + ".data must be an array of {\"id\", \"type\"}");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode d : data) {
            if (!d.hasNonNull("id")) {
                throw new ApiError(400, "relationships." + rel + ".data: an entry has no id");
            }
            if (d.hasNonNull("type") && !d.get("type").asText().equals(rel)) {
                throw new ApiError(400, "relationships." + rel + ".data: '" + d.get("id").asText() + "' has type '"
                        + d.get("type").asText() + "' (expected: " + rel + ")");
            }
            out.add(d.get("id").asText());
        }
        return out;
    }

    private static String single(String rel, List<String> ids, boolean optional) {
        if (ids.size() > 1 || (ids.isEmpty() && !optional)) {
            throw new ApiError(400, "relationships." + rel + " must name exactly " + (optional ? "at most " : "")
                    + "one object (got " + ids.size() + ")");
        }
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** Makes {@code member} appear in the list {@code key} of exactly the sections of {@code type} in {@code owners}. */
    private ConfigSections setMembership(ConfigSections sections, String type, String key, String member,
                                         List<String> owners) {
        for (String owner : owners) {
            Section s = sections.get(owner).filter(x -> x.type().equals(type))
                    .orElseThrow(() -> new ApiError(400, "Relationship to an unknown " + type + ": no " + type + " named '" + owner + "'"));
            if (type.equals("service") && s.param("cluster") != null) {
                throw new ApiError(400, "Service '" + owner + "' takes its servers from monitor '"
                        + s.param("cluster") + "' (cluster=); link the server to the monitor instead");
            }
        }
        for (Section s : sections.ofType(type)) {
            String listKey = type.equals("service") && s.param("targets") != null ? "targets" : key;
            List<String> members = new ArrayList<>(ConfigSections.splitList(s.params().getOrDefault(listKey, "")));
            boolean want = owners.contains(s.name());
            if (want && !members.contains(member)) {
                members.add(member);
            } else if (!want) {
                members.remove(member);
            } else {
                continue;
            }
            sections = sections.with(s.with(listKey, members.isEmpty() ? null : String.join(",", members)));
        }
        return sections;
    }

    private static ConfigSections setListeners(ConfigSections sections, String service, List<String> listeners) {
        for (String l : listeners) {
            Section s = sections.get(l).filter(x -> x.type().equals("listener"))
                    .orElseThrow(() -> new ApiError(400, "Relationship to an unknown listener: no listener named '" + l + "'"));
            sections = sections.with(s.with("service", service));
        }
        for (Section s : sections.ofType("listener")) {
            if (service.equals(s.param("service")) && !listeners.contains(s.name())) {
                throw new ApiError(400, "Listener '" + s.name() + "' cannot be unlinked from service '" + service
                        + "': a listener always feeds one service (destroy it instead)");
            }
        }
        return sections;
    }

    // ---- destroy

    private void destroy(String type, String name, boolean force) {
        ConfigSections sections = sections();
        find(sections, type, name);
        List<String> users = new ArrayList<>();
        ConfigSections next = sections;
        switch (type) {
            case "server" -> {
                for (String key : List.of("servers", "targets")) {
                    for (String s : sections.referencing("service", key, name)) {
                        users.add("service '" + s + "'");
                        next = removeFromList(next, s, key, name);
                    }
                }
                for (String m : sections.referencing("monitor", "servers", name)) {
                    users.add("monitor '" + m + "'");
                    next = removeFromList(next, m, "servers", name);
                }
            }
            case "service" -> {
                for (Section l : sections.ofType("listener")) {
                    if (name.equals(l.param("service"))) {
                        users.add("listener '" + l.name() + "'");
                        next = next.without(l.name());
                    }
                }
                for (String s : sections.referencing("service", "targets", name)) {
                    users.add("service '" + s + "'");
                    next = removeFromList(next, s, "targets", name);
                }
            }
            case "monitor" -> {
                for (Section s : sections.ofType("service")) {
                    if (name.equals(s.param("cluster"))) {
                        users.add("service '" + s.name() + "'");
                        next = next.with(next.get(s.name()).orElseThrow().with("cluster", null));
                    }
                }
                String servers = sections.get(name).orElseThrow().param("servers");
                if (servers != null && !ConfigSections.splitList(servers).isEmpty()) {
                    users.add("servers " + String.join(", ", ConfigSections.splitList(servers)));
                }
            }
            case "filter" -> {
                for (Section s : sections.ofType("service")) {
                    List<String> chain = filterChain(s);
                    if (chain.contains(name)) {
                        users.add("service '" + s.name() + "'");
                        chain.removeIf(name::equals);
                        next = next.with(next.get(s.name()).orElseThrow()
                                .with("filters", chain.isEmpty() ? null : String.join("|", chain)));
                    }
                }
            }
            default -> {
                // a listener is used by nothing: it goes at once
            }
        }
        if (!users.isEmpty() && !force) {
            throw new ApiError(400, "Cannot destroy " + type + " '" + name + "': it is in use by "
                    + String.join(", ", users) + " (unlink it first, or use ?force=yes)");
        }
        apply(next.without(name));
    }

    /** A service's {@code filters=} as a mutable list (separated by {@code |}, or by commas as Sluice also reads). */
    private static List<String> filterChain(Section service) {
        List<String> out = new ArrayList<>();
        for (String part : service.params().getOrDefault("filters", "").split("[,|]")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static ConfigSections removeFromList(ConfigSections sections, String owner, String key, String member) {
        Section s = sections.get(owner).orElseThrow();
        List<String> members = new ArrayList<>(ConfigSections.splitList(s.params().getOrDefault(key, "")));
        members.remove(member);
        return sections.with(s.with(key, members.isEmpty() ? null : String.join(",", members)));
    }

    // ---- start, stop, reload

    private void startStop(String type, String name, boolean start) {
        try {
            boolean found = switch (type) {
                case "service" -> sluice.setServiceStarted(name, start);
                case "listener" -> sluice.setListenerStarted(name, start);
                case "monitor" -> sluice.setMonitorStarted(name, start);
                default -> throw new ApiError(405, "A " + type + " cannot be started or stopped");
            };
            if (!found) {
                throw new ApiError(404, "No " + type + " named '" + name + "'");
            }
        } catch (IOException e) {
            throw new ApiError(400, e.getMessage());
        }
    }

    private void reload(String name) {
        ServiceRuntime s = sluice.services().get(name);
        if (s == null) {
            throw new ApiError(404, "No service named '" + name + "'");
        }
        s.accounts().refresh(true).join();
    }

    // ---- shared steps

    private ConfigSections sections() {
        return ConfigSections.of(sluice.config());
    }

    private static Section find(ConfigSections sections, String type, String name) {
        return sections.get(name).filter(s -> s.type().equals(type))
                .orElseThrow(() -> new ApiError(404, "No " + type + " named '" + name + "'"));
    }

    /** Validates the whole configuration as a file would be and makes the runtime match it. */
    private void apply(ConfigSections next) {
        SluiceConfig validated;
        try {
            validated = next.validate(sluice.config().global(), registry());
        } catch (ConfigException e) {
            throw new ApiError(400, e.problems().stream().map(ObjectMutations::describe)
                    .collect(Collectors.joining("; ")));
        }
        ConfigSections before = sections();
        SluiceConfig previous = sluice.config();
        // config_sync_cluster: the shared row is locked first; a newer version there refuses the change
        try (ConfigSync.Change shared = sync == null ? null : sync.begin()) {
            reconfigure(validated);
            if (shared != null) {
                try {
                    shared.commit(ConfigSections.of(validated));
                } catch (ApiError e) {
                    reconfigure(previous); // as MaxScale: a change the cluster did not take is reverted here
                    throw e;
                }
            }
        }
        java.nio.file.Path dir = PersistedChanges.directory(validated.global(), false);
        if (dir != null) {
            try {
                PersistedChanges.save(dir, before, ConfigSections.of(validated));
            } catch (IOException e) {
                // the change is made and stays made; only its survival across a restart failed
                throw new ApiError(500, "The change was applied but could not be persisted to " + dir + ": " + e);
            }
        }
    }

    private void reconfigure(SluiceConfig validated) {
        try {
            sluice.reconfigure(validated);
        } catch (IOException | IllegalArgumentException e) {
            // a port that cannot be bound, a TLS file that cannot be read: the change is not made
            throw new ApiError(400, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiError(503, e.getMessage());
        }
    }

    static String describe(ConfigProblem p) {
        String where = p.section() == null ? "" : p.section();
        if (p.key() != null) {
            return "Parameter '" + p.key() + "' of '" + where + "': " + p.message();
        }
        return (where.isEmpty() ? "" : "'" + where + "': ") + p.message();
    }

    /** Puts the JSON parameters as configuration text; a JSON null removes the parameter (back to default). */
    private static void putAll(Map<String, String> params, JsonNode json, String object, Section current) {
        if (json.isMissingNode() || json.isNull()) {
            return;
        }
        if (!json.isObject()) {
            throw new ApiError(400, "attributes.parameters of '" + object + "' must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            String text;
            if (v.isNull()) {
                text = null;
            } else if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                v.forEach(x -> parts.add(x.asText()));
                text = String.join(",", parts);
            } else if (v.isValueNode()) {
                text = v.asText();
            } else {
                throw new ApiError(400, "Parameter '" + key + "' of '" + object + "': an object is not a value");
            }
            if (text != null && (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0)) {
                throw new ApiError(400, "Parameter '" + key + "' of '" + object + "': a value cannot span lines");
            }
            if (current != null && JsonApi.MASKED_PASSWORD.equals(text) && current.param(key) != null) {
                continue; // a masked password sent back unchanged from a GET
            }
            params.put(key, text);
        }
    }

    private static JsonNode body(AdminApi.Request req) {
        if (req.body() == null || req.body().isBlank()) {
            throw new ApiError(400, "Missing request body (expected: a JSON:API document)");
        }
        try {
            return JsonApi.MAPPER.readTree(req.body());
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "Malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode data(JsonNode body) {
        JsonNode data = body.get("data");
        if (data == null || !data.isObject()) {
            throw new ApiError(400, "The body must be a JSON:API document with a \"data\" object");
        }
        return data;
    }

    private static void allow(String method, String... methods) {
        for (String m : methods) {
            if (m.equals(method)) {
                return;
            }
        }
        throw new ApiError(405, "Method " + method + " is not allowed here (expected: " + String.join(", ", methods)
                + ")");
    }

    /** The loaded modules, plus any the running configuration uses that ServiceLoader does not know (tests). */
    private ModuleRegistry registry() {
        if (registry == null) {
            ModuleRegistry loaded = modules.get();
            List<Module> all = new ArrayList<>(loaded.all());
            SluiceConfig c = sluice.config();
            List<Module> used = new ArrayList<>();
            c.services().values().forEach(s -> used.add(s.router()));
            c.monitors().values().forEach(m -> used.add(m.module()));
            c.filters().values().forEach(f -> used.add(f.module()));
            for (Module m : used) {
                if (loaded.find(m.kind(), m.name()).isEmpty() && !all.contains(m)) {
                    all.add(m);
                }
            }
            registry = ModuleRegistry.of(all);
        }
        return registry;
    }
}
