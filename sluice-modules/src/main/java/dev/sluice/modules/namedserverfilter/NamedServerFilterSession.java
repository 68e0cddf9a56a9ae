package dev.sluice.modules.namedserverfilter;

import dev.sluice.api.chain.Request;
import dev.sluice.api.filter.FilterSession;
import dev.sluice.api.filter.FilterSessionContext;
import dev.sluice.api.query.Hint;
import dev.sluice.protocol.Command;
import java.util.List;

/**
 * Matches each COM_QUERY against the filter's rules and passes it on with the first matching rule's hints
 * attached as objects (the server never sees them).
 * Other commands pass untouched. Confined to the session's worker.
 */
final class NamedServerFilterSession implements FilterSession {
    private final NamedServerFilter filter;
    private final FilterSessionContext session;

    NamedServerFilterSession(NamedServerFilter filter, FilterSessionContext session) {
        this.filter = filter;
        this.session = session;
    }

    @Override
    public void routeQuery(Request request) {
        if (request.command() != Command.COM_QUERY || !request.hasSql()) {
            session.routeQuery(request);
            return;
        }
        filter.queries.increment();
        List<Hint> hints = hintsFor(filter.config, request.sql());
        if (!hints.isEmpty()) {
            filter.matched.increment();
            hints.forEach(request::addHint);
        }
        session.routeQuery(request);
    }

    /** The hints of the first rule whose pattern occurs in {@code sql}, or none. */
    static List<Hint> hintsFor(NamedServerFilterConfig config, String sql) {
        for (NamedServerFilterConfig.Rule rule : config.rules()) {
            if (rule.pattern().matcher(sql).find()) {
                return rule.hints();
            }
        }
        return List.of();
    }
}
