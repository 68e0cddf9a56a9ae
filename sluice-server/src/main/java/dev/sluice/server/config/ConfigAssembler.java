package dev.sluice.server.config;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.auth.Authenticator;
import dev.sluice.api.auth.AuthenticatorFactory;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import dev.sluice.api.filter.FilterParameterException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import dev.sluice.server.auth.mariadbauth.MariaDbAuthModule;

/**
 * Builds the typed {@link SluiceConfig} from resolved sections: parses every section against its spec (the
 * generic one plus its module's), checks the rules that span sections (references, exclusive parameters,
 * one monitor per server, one listener per address and port) and reports every problem through the consumer.
 * The result is only meaningful when no problem was reported.
 */
final class ConfigAssembler {
    private static final Set<String> WILDCARD_ADDRESSES = Set.of("::", "0.0.0.0", "*", "");

    private final ModuleRegistry modules;
    private final Consumer<ConfigProblem> problems;
    private final SectionValues parser;

    private final Map<String, ServerConfig> servers = new LinkedHashMap<>();
    private final Map<String, MonitorConfig> monitors = new LinkedHashMap<>();
    private final Map<String, FilterConfig> filters = new LinkedHashMap<>();
    private final Map<String, ServiceConfig> services = new LinkedHashMap<>();
    private final Map<String, ListenerConfig> listeners = new LinkedHashMap<>();
    private final Map<String, String> monitorOfServer = new LinkedHashMap<>();
    private final Map<SectionType, Set<String>> definedNames = new EnumMap<>(SectionType.class);
    private int reported; // problems so far: a filter whose values had one is not instantiated as well

    ConfigAssembler(ModuleRegistry modules, Consumer<ConfigProblem> problems, Function<String, String> env) {
        this.modules = modules;
        this.problems = p -> {
            reported++;
            problems.accept(p);
        };
        this.parser = new SectionValues(this.problems, env);
    }

    SluiceConfig assemble(SectionResolver resolved) {
        GlobalConfig global = new GlobalConfig(resolved.global()
                .map(g -> parser.parse(g.name(), withoutType(g), GlobalParams.SPEC, true, g))
                .orElse(ParamValues.empty()));
        parser.substituteVariables(global.values().get(GlobalParams.SUBSTITUTE_VARIABLES));
        List<ResolvedSection> sections = resolved.sections();
        // Objects are referred to by name before (or without) being built: know every defined name first, so
        // an object with its own problem (an unknown module, say) is not reported again as undefined.
        for (ResolvedSection s : sections) {
            definedNames.computeIfAbsent(s.type(), t -> new HashSet<>()).add(s.name());
        }
        Set<String> serviceNames = defined(SectionType.SERVICE);
        sections.stream().filter(s -> s.type() == SectionType.SERVER).forEach(this::server);
        sections.stream().filter(s -> s.type() == SectionType.MONITOR).forEach(this::monitor);
        sections.stream().filter(s -> s.type() == SectionType.FILTER).forEach(this::filter);
        sections.stream().filter(s -> s.type() == SectionType.SERVICE).forEach(s -> service(s, serviceNames));
        sections.stream().filter(s -> s.type() == SectionType.LISTENER).forEach(s -> listener(s, serviceNames));
        sections.stream().filter(s -> s.type() == SectionType.SERVICE).forEach(this::checkNoRoutingCycle);
        return new SluiceConfig(global, servers, services, listeners, monitors, filters);
    }

    private Set<String> defined(SectionType type) {
        return definedNames.getOrDefault(type, Set.of());
    }

    private static Map<String, IniEntry> withoutType(IniSection global) {
        Map<String, IniEntry> entries = new LinkedHashMap<>(global.entries());
        entries.remove(SectionResolver.TYPE);
        return entries;
    }

    private ParamValues values(ResolvedSection s, ParamSpec spec, boolean moduleKnown) {
        return parser.parse(s.name(), s.entries(), spec, moduleKnown, s.header());
    }

    private void server(ResolvedSection s) {
        ParamValues v = values(s, ServerParams.SPEC, true);
        exactlyOne(s, ServerParams.ADDRESS.name(), ServerParams.SOCKET.name());
        checkTls(s, v, false);
        servers.put(s.name(), new ServerConfig(s.name(), v));
    }

    private void monitor(ResolvedSection s) {
        Optional<Module> module = module(s, MonitorParams.MODULE.name(), ModuleKind.MONITOR);
        ParamSpec spec = module.map(m -> MonitorParams.SPEC.plus(m.spec())).orElse(MonitorParams.SPEC);
        ParamValues v = values(s, spec, module.isPresent());
        List<String> monitored = v.get(MonitorParams.SERVERS);
        IniEntry serversEntry = s.entry(MonitorParams.SERVERS.name());
        for (String server : monitored) {
            if (!servers.containsKey(server)) {
                problems.accept(s.problem(serversEntry, unknown("server", server, servers.keySet())));
                continue;
            }
            String other = monitorOfServer.putIfAbsent(server, s.name());
            if (other != null) {
                problems.accept(s.problem(serversEntry, "server " + server + " is already monitored by ["
                        + other + "] (a server may have only one monitor)"));
            }
        }
        module.ifPresent(m -> monitors.put(s.name(), new MonitorConfig(s.name(), m, monitored, v)));
    }

    private void filter(ResolvedSection s) {
        Optional<Module> module = module(s, FilterParams.MODULE.name(), ModuleKind.FILTER);
        ParamSpec spec = module.map(m -> FilterParams.SPEC.plus(m.spec())).orElse(FilterParams.SPEC);
        int before = reported;
        ParamValues v = values(s, spec, module.isPresent());
        boolean valid = reported == before;
        module.ifPresent(m -> {
            FilterConfig fc = new FilterConfig(s.name(), m, v);
            try {
                if (valid) {
                    fc.newFilter(); // parameters that parse one by one but not together
                }
            } catch (FilterParameterException e) {
                IniEntry entry = s.entry(e.parameter());
                problems.accept(entry != null ? s.problem(entry, e.getMessage()) : s.problem(e.parameter(),
                        e.getMessage()));
                return;
            }
            filters.put(s.name(), fc);
        });
    }

    private void service(ResolvedSection s, Set<String> serviceNames) {
        Optional<Module> router = module(s, ServiceParams.ROUTER.name(), ModuleKind.ROUTER);
        ParamSpec spec = router.map(m -> ServiceParams.SPEC.plus(m.spec())).orElse(ServiceParams.SPEC);
        ParamValues v = values(s, spec, router.isPresent());
        atMostOne(s, ServiceParams.SERVERS.name(), ServiceParams.TARGETS.name(), ServiceParams.CLUSTER.name());

        List<String> targets = new ArrayList<>();
        IniEntry serversEntry = s.entry(ServiceParams.SERVERS.name());
        for (String server : v.get(ServiceParams.SERVERS)) {
            checkReference(s, serversEntry, "server", server, servers.keySet());
            targets.add(server);
        }
        IniEntry targetsEntry = s.entry(ServiceParams.TARGETS.name());
        for (String target : v.get(ServiceParams.TARGETS)) {
            if (target.equals(s.name())) {
                problems.accept(s.problem(targetsEntry, "a service cannot target itself"));
            } else if (!servers.containsKey(target) && !serviceNames.contains(target)) {
                List<String> known = new ArrayList<>(servers.keySet());
                known.addAll(serviceNames);
                problems.accept(s.problem(targetsEntry, unknown("server or service", target, known)));
            }
            targets.add(target);
        }
        String cluster = v.isSet(ServiceParams.CLUSTER) ? v.get(ServiceParams.CLUSTER) : null;
        if (cluster != null) {
            checkReference(s, s.entry(ServiceParams.CLUSTER.name()), "monitor", cluster,
                    defined(SectionType.MONITOR));
            MonitorConfig monitor = monitors.get(cluster);
            if (monitor != null) {
                targets.addAll(monitor.servers());
            }
        }
        IniEntry filtersEntry = s.entry(ServiceParams.FILTERS.name());
        List<String> chain = v.get(ServiceParams.FILTERS);
        for (String filter : chain) {
            checkReference(s, filtersEntry, "filter", filter, defined(SectionType.FILTER));
        }
        router.ifPresent(r -> services.put(s.name(),
                new ServiceConfig(s.name(), r, targets, cluster, chain, v)));
    }

    private void listener(ResolvedSection s, Set<String> serviceNames) {
        ParamValues v = values(s, ListenerParams.SPEC, true);
        String service = v.get(ListenerParams.SERVICE);
        if (service != null) {
            checkReference(s, s.entry(ListenerParams.SERVICE.name()), "service", service, serviceNames);
        }
        checkTls(s, v, true);
        if (exactlyOne(s, ListenerParams.PORT.name(), ListenerParams.SOCKET.name())) {
            checkEndpointFree(s, v);
        }
        List<Authenticator> authenticators = authenticators(s, v);
        if (service != null) {
            listeners.put(s.name(), new ListenerConfig(s.name(), service, v, authenticators));
        }
    }

    /**
     * The listener's authenticators, in the order {@code authenticator=} names them ({@code mariadbauth} when it
     * is empty), each made by its module with {@code authenticator_options}; an unknown name or an option a module
     * refuses is a problem of this section.
     */
    private List<Authenticator> authenticators(ResolvedSection s, ParamValues v) {
        IniEntry namesEntry = s.entry(ListenerParams.AUTHENTICATOR.name());
        IniEntry optionsEntry = s.entry(ListenerParams.AUTHENTICATOR_OPTIONS.name());
        List<String> names = new ArrayList<>();
        for (String n : v.get(ListenerParams.AUTHENTICATOR).split(",")) {
            if (!n.isBlank()) {
                names.add(n.strip());
            }
        }
        if (names.isEmpty()) {
            names.add(MariaDbAuthModule.MODULE.name());
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : v.get(ListenerParams.AUTHENTICATOR_OPTIONS).split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                problems.accept(s.problem(optionsEntry, "'" + pair.strip() + "' is not key=value"));
                return List.of();
            }
            options.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        List<Authenticator> out = new ArrayList<>();
        for (String name : names) {
            Optional<Module> module = modules.find(ModuleKind.AUTHENTICATOR, name);
            if (module.isEmpty()) {
                List<String> known = modules.ofKind(ModuleKind.AUTHENTICATOR).stream().map(Module::name).toList();
                problems.accept(s.problem(namesEntry, "unknown authenticator module '" + name + "' (installed: "
                        + String.join(", ", known) + ")"));
                continue;
            }
            try {
                out.add(((AuthenticatorFactory) module.get().factory()).create(Map.copyOf(options)));
            } catch (IllegalArgumentException e) {
                problems.accept(s.problem(optionsEntry != null ? optionsEntry : namesEntry, e.getMessage()));
            }
        }
        return List.copyOf(out);
    }

    private void checkEndpointFree(ResolvedSection s, ParamValues v) {
        String socket = v.get(ListenerParams.SOCKET);
        long port = v.get(ListenerParams.PORT);
        String address = v.get(ListenerParams.ADDRESS).toLowerCase(Locale.ROOT);
        for (ListenerConfig other : listeners.values()) {
            ParamValues o = other.values();
            boolean clash;
            String what;
            if (!socket.isEmpty()) {
                clash = socket.equals(o.get(ListenerParams.SOCKET));
                what = "socket " + socket;
            } else {
                String otherAddress = o.get(ListenerParams.ADDRESS).toLowerCase(Locale.ROOT);
                // port 0 asks the kernel for a free port: two such listeners never share one
                clash = port != 0 && o.get(ListenerParams.SOCKET).isEmpty() && port == o.get(ListenerParams.PORT)
                        && (address.equals(otherAddress) || WILDCARD_ADDRESSES.contains(address)
                        || WILDCARD_ADDRESSES.contains(otherAddress));
                what = "port " + port + " on " + v.get(ListenerParams.ADDRESS);
            }
            if (clash) {
                String key = socket.isEmpty() ? ListenerParams.PORT.name() : ListenerParams.SOCKET.name();
                problems.accept(s.problem(s.entry(key), what + " is already used by listener [" + other.name()
                        + "]"));
                return;
            }
        }
    }

    /** A listener's certificate and key are required with ssl=true; anywhere, one is useless without the other. */
    private void checkTls(ResolvedSection s, ParamValues v, boolean listener) {
        boolean cert = !v.get(TlsParams.SSL_CERT).isEmpty();
        boolean key = !v.get(TlsParams.SSL_KEY).isEmpty();
        if (listener && v.get(TlsParams.SSL) && (!cert || !key)) {
            problems.accept(s.problem(s.entry(TlsParams.SSL.name()),
                    "ssl=true on a listener needs ssl_cert and ssl_key"));
        } else if (cert != key) {
            String set = cert ? TlsParams.SSL_CERT.name() : TlsParams.SSL_KEY.name();
            problems.accept(s.problem(s.entry(set), "ssl_cert and ssl_key must be set together"));
        }
    }

    /** Services may target services, but a service must not end up routing to itself. */
    private void checkNoRoutingCycle(ResolvedSection s) {
        ServiceConfig service = services.get(s.name());
        if (service == null) {
            return;
        }
        List<String> path = new ArrayList<>();
        path.add(s.name());
        if (reaches(service, s.name(), path, new HashSet<>())) {
            problems.accept(s.problem(s.entry(ServiceParams.TARGETS.name()),
                    "routing cycle: " + String.join(" -> ", path)));
        }
    }

    private boolean reaches(ServiceConfig from, String goal, List<String> path, Set<String> visited) {
        for (String target : from.servers()) {
            ServiceConfig next = services.get(target);
            if (next == null || !visited.add(target)) {
                continue;
            }
            path.add(target);
            if (target.equals(goal) || reaches(next, goal, path, visited)) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /** The module named by {@code key}, reporting a missing or unknown name (the missing key is reported by
     * the spec's mandatory check). */
    private Optional<Module> module(ResolvedSection s, String key, ModuleKind kind) {
        IniEntry entry = s.entry(key);
        if (entry == null) {
            return Optional.empty();
        }
        Optional<Module> module = modules.find(kind, entry.value());
        if (module.isEmpty()) {
            String kindName = kind.name().toLowerCase(Locale.ROOT);
            List<String> names = modules.ofKind(kind).stream().map(Module::name).toList();
            String hint = Suggestion.didYouMean(entry.value(), names);
            if (hint.isEmpty()) {
                hint = modules.all().stream().filter(m -> m.answersTo(entry.value())).findFirst()
                        .map(m -> " (" + m.name() + " is a " + m.kind().name().toLowerCase(Locale.ROOT)
                                + " module)")
                        .orElse(names.isEmpty() ? "" : " (known: " + String.join(", ", names) + ")");
            }
            problems.accept(s.problem(entry, "unknown " + kindName + " module '" + entry.value() + "'" + hint));
        }
        return module;
    }

    private void checkReference(ResolvedSection s, IniEntry entry, String what, String name,
                                Collection<String> known) {
        if (!known.contains(name)) {
            problems.accept(s.problem(entry, unknown(what, name, known)));
        }
    }

    private static String unknown(String what, String name, Collection<String> known) {
        return "no " + what + " named '" + name + "'" + Suggestion.didYouMean(name, known);
    }

    /** Reports when both or neither are set; true when exactly one is. */
    private boolean exactlyOne(ResolvedSection s, String first, String second) {
        IniEntry a = s.entry(first);
        IniEntry b = s.entry(second);
        if (a == null && b == null) {
            problems.accept(s.problem(first, "missing " + first + " or " + second + " (one of them is required)"));
            return false;
        }
        if (a != null && b != null) {
            IniEntry later = b.file().equals(a.file()) && a.line() > b.line() ? a : b;
            problems.accept(s.problem(later, first + " and " + second + " are exclusive (set only one)"));
            return false;
        }
        return true;
    }

    private void atMostOne(ResolvedSection s, String... keys) {
        IniEntry first = null;
        for (String key : keys) {
            IniEntry entry = s.entry(key);
            if (entry != null && first != null) {
                problems.accept(s.problem(entry, first.key() + " and " + key + " are exclusive (set only one)"));
            } else if (entry != null) {
                first = entry;
            }
        }
    }
}
