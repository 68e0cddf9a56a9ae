package dev.sluice.modules.namedserverfilter;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.filter.Filter;
import dev.sluice.api.filter.FilterContext;
import dev.sluice.api.filter.FilterSession;
import dev.sluice.api.filter.FilterSessionContext;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One namedserverfilter section: its rules, and counters shared by its sessions (any worker). */
final class NamedServerFilter implements Filter {
    final NamedServerFilterConfig config;
    final LongAdder queries = new LongAdder();
    final LongAdder matched = new LongAdder();

    NamedServerFilter(FilterContext context) {
        this(context.params());
    }

    NamedServerFilter(ParamValues values) {
        this.config = NamedServerFilterConfig.from(values);
    }

    @Override
    public FilterSession newSession(FilterSessionContext session) {
        if (!config.session().matches(session.user(), session.clientHost())) {
            return null;
        }
        return new NamedServerFilterSession(this, session);
    }

    @Override
    public Map<String, Object> diagnostics() {
        return Map.of("queries", queries.sum(), "matched", matched.sum());
    }
}
