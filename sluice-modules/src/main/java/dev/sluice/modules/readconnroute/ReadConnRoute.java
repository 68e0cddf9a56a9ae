package dev.sluice.modules.readconnroute;

import dev.sluice.api.router.Router;
import dev.sluice.api.router.RouterContext;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.api.server.Server;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The readconnroute router instance of one service. Shared by the service's sessions on all workers: the
 * configuration is immutable, the per-server connection counts are atomics (written by any worker when a
 * session connects or closes), the statistics are LongAdders.
 */
public final class ReadConnRoute implements Router {
    private final ReadConnRouteConfig config;
    private final ServerChooser chooser;
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    final LongAdder queries = new LongAdder();
    final LongAdder sessions = new LongAdder();

    ReadConnRoute(RouterContext context) {
        this.config = ReadConnRouteConfig.from(context.params());
        this.chooser = new ServerChooser(config);
    }

    @Override
    public RouterSession newSession(RouterSessionContext session) {
        sessions.increment();
        return new ReadConnRouteSession(this, session);
    }

    ServerChooser chooser() {
        return chooser;
    }

    AtomicInteger connectionCount(Server server) {
        return connections.computeIfAbsent(server.name(), k -> new AtomicInteger());
    }

    int currentConnections(Server server) {
        AtomicInteger c = connections.get(server.name());
        return c == null ? 0 : c.get();
    }

    @Override
    public Map<String, Object> diagnostics() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("queries", queries.sum());
        d.put("sessions", sessions.sum());
        Map<String, Object> perServer = new LinkedHashMap<>();
        connections.forEach((name, count) -> perServer.put(name, count.get()));
        d.put("connections", perServer);
        d.put("router_options", config);
        return d;
    }
}
