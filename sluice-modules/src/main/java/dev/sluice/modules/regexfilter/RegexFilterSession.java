package dev.sluice.modules.regexfilter;

import dev.sluice.protocol.message.client.ComQuery;
import dev.sluice.protocol.Packets;
import dev.sluice.api.chain.Request;
import dev.sluice.api.filter.FilterSession;
import dev.sluice.api.filter.FilterSessionContext;
import dev.sluice.protocol.Command;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites each COM_QUERY in which the pattern occurs; statements without a match and other commands pass as
 * they came (the same buffer). Confined to the session's worker.
 */
final class RegexFilterSession implements FilterSession {
    private static final Logger log = LoggerFactory.getLogger(RegexFilterSession.class);

    private final RegexFilter filter;
    private final FilterSessionContext session;

    RegexFilterSession(RegexFilter filter, FilterSessionContext session) {
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
        String sql = request.sql();
        String rewritten = filter.config.rewrite(sql);
        ByteBuf replacement = rewritten == null ? null
                : ComQuery.encodeOrNull(session.alloc(), rewritten, Packets.sequence(request.packet()));
        if (replacement == null) {
            session.routeQuery(request); // no match (or a result too long for one packet)
            return;
        }
        filter.rewritten.increment();
        if (filter.config.logTrace()) {
            log.info("Session {}: regexfilter {} rewrote '{}' to '{}'", session.sessionId(), filter.name, sql,
                    rewritten);
        }
        request.replacePacket(replacement);
        session.routeQuery(request);
    }
}
