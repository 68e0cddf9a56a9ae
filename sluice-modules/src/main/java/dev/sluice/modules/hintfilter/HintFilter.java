package dev.sluice.modules.hintfilter;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.ModuleProvider;
import dev.sluice.api.chain.Request;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.filter.Filter;
import dev.sluice.api.filter.FilterFactory;
import dev.sluice.api.filter.FilterSession;
import dev.sluice.api.filter.FilterSessionContext;
import dev.sluice.api.query.QueryInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Attaches the routing hints written in a statement's comments to its request, as objects: the router (readwritesplit)
 * honours hints only when they come with the request, that is, only behind this filter. The statement is
 * classified once for the whole chain ({@link Request#queryInfo()}), so the hint comments are read by the
 * classifier that the router would run anyway. The text reaches the server unchanged.
 */
public final class HintFilter implements Filter {
    public static final Module MODULE = new Module("hintfilter", List.of(), ModuleKind.FILTER, "0.1.0",
            "Routing hints in SQL comments (-- maxscale route to master ...) for the service's router",
            ParamSpec.of(), (FilterFactory) context -> new HintFilter());

    /** Registers {@code hintfilter}. */
    public static final class Provider implements ModuleProvider {
        @Override
        public List<Module> modules() {
            return List.of(MODULE);
        }
    }

    final LongAdder hinted = new LongAdder();

    @Override
    public FilterSession newSession(FilterSessionContext session) {
        return request -> {
            if (request.hasSql()) {
                QueryInfo info = request.queryInfo();
                if (info != null && !info.hints().isEmpty()) {
                    info.hints().forEach(request::addHint);
                    hinted.increment();
                }
            }
            session.routeQuery(request);
        };
    }

    @Override
    public Map<String, Object> diagnostics() {
        return Map.of("hinted_statements", hinted.sum());
    }
}
