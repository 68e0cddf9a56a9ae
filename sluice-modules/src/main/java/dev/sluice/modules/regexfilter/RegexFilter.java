package dev.sluice.modules.regexfilter;

import dev.sluice.api.filter.Filter;
import dev.sluice.api.filter.FilterContext;
import dev.sluice.api.filter.FilterSession;
import dev.sluice.api.filter.FilterSessionContext;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One regexfilter section: its pattern and replacement, and counters shared by its sessions (any worker). */
final class RegexFilter implements Filter {
    final String name;
    final RegexFilterConfig config;
    final LongAdder queries = new LongAdder();
    final LongAdder rewritten = new LongAdder();

    RegexFilter(FilterContext context) {
        this.name = context.filterName();
        this.config = RegexFilterConfig.from(context.params());
    }

    @Override
    public FilterSession newSession(FilterSessionContext session) {
        if (!config.session().matches(session.user(), session.clientHost())) {
            return null;
        }
        return new RegexFilterSession(this, session);
    }

    @Override
    public Map<String, Object> diagnostics() {
        return Map.of("queries", queries.sum(), "replacements", rewritten.sum());
    }
}
