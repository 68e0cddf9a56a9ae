package dev.sluice.server.session;

import dev.sluice.api.filter.Filter;
import dev.sluice.api.filter.FilterSession;
import dev.sluice.api.filter.FilterSessionContext;
import dev.sluice.api.query.Hint;
import dev.sluice.api.router.RouterSession;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One session's filter sessions, in the order the service lists its filters, in front of its router session.
 * Built once at session start from the filters of the service snapshot the session started with, so a later
 * change of the service's {@code filters=} or of a filter's parameters leaves a running session's chain alone.
 * A session whose service has no filters (or whose filters all declined it) has no chain at all: the core
 * hands requests to the router directly. Confined to the session's worker.
 */
final class FilterChain {
    private final Link head;
    /** Links in chain order; replies visit them last to first. */
    private final Link[] links;
    private final boolean observesReplies;

    private FilterChain(Link head, Link[] links, boolean observesReplies) {
        this.head = head;
        this.links = links;
        this.observesReplies = observesReplies;
    }

    /** The chain of {@code filters} for {@code session}, or null when no filter takes part. */
    static FilterChain of(List<Filter> filters, ClientSession session, RouterSession router) {
        if (filters.isEmpty()) {
            return null;
        }
        List<Link> built = new ArrayList<>(filters.size());
        Link downstream = null; // null: the router
        boolean observes = false;
        for (int i = filters.size() - 1; i >= 0; i--) {
            Link link = new Link(session, router, downstream);
            FilterSession fs = filters.get(i).newSession(link);
            if (fs == null) {
                continue; // the filter declined this session (user / source do not match)
            }
            link.filter = fs;
            link.observesReplies = filters.get(i).observesReplies();
            observes |= link.observesReplies;
            built.add(0, link);
            downstream = link;
        }
        if (built.isEmpty()) {
            return null;
        }
        return new FilterChain(built.get(0), built.toArray(new Link[0]), observes);
    }

    /** A whole single-packet request from the client, ownership transferred. */
    void routeQuery(ByteBuf packet, int command) {
        head.filter.routeQuery(packet, command);
    }

    /** A packet on its way to the client, lent to the filters that observe replies. */
    void clientReply(ByteBuf packet) {
        if (!observesReplies) {
            return;
        }
        for (int i = links.length - 1; i >= 0; i--) {
            if (links[i].observesReplies) {
                links[i].filter.clientReply(packet);
            }
        }
    }

    void close() {
        for (Link link : links) {
            link.filter.close();
        }
    }

    /**
     * Hints as the leading comments {@code /* maxscale route to server srv1 *&#47; } before the statement text of
     * a COM_QUERY, which every hint-honouring router reads. Returns {@code packet} itself when the result would
     * not fit one packet; otherwise the original is released.
     */
    static ByteBuf withHintComments(ByteBufAllocator alloc, ByteBuf packet, List<Hint> hints) {
        StringBuilder prefix = new StringBuilder();
        for (Hint h : hints) {
            prefix.append("/* maxscale ").append(h).append(" */ ");
        }
        byte[] comment = prefix.toString().getBytes(StandardCharsets.UTF_8);
        int payload = Packets.payloadLength(packet);
        if ((long) payload + comment.length >= Packets.MAX_PAYLOAD) {
            return packet;
        }
        ByteBuf out = Packets.start(alloc, payload + comment.length);
        out.writeByte(Command.COM_QUERY);
        out.writeBytes(comment);
        out.writeBytes(packet, packet.readerIndex() + Packets.HEADER_SIZE + 1, payload - 1);
        Packets.finish(out, Packets.sequence(packet));
        packet.release();
        return out;
    }

    /** The context of one filter session: its way down is the next link's filter, or the router. */
    private static final class Link implements FilterSessionContext {
        private final ClientSession session;
        private final RouterSession router;
        private final Link downstream;
        // set once while the chain is built, then read on the worker only
        FilterSession filter;
        boolean observesReplies;

        Link(ClientSession session, RouterSession router, Link downstream) {
            this.session = session;
            this.router = router;
            this.downstream = downstream;
        }

        @Override
        public long sessionId() {
            return session.sessionId();
        }

        @Override
        public String user() {
            return session.user();
        }

        @Override
        public String clientHost() {
            return session.clientHost();
        }

        @Override
        public String serviceName() {
            return session.serviceName();
        }

        @Override
        public ByteBufAllocator alloc() {
            return session.channel().alloc();
        }

        @Override
        public void routeQuery(ByteBuf packet, int command) {
            if (downstream == null) {
                router.routeQuery(packet, command);
            } else {
                downstream.filter.routeQuery(packet, command);
            }
        }

        @Override
        public void routeQuery(ByteBuf packet, int command, List<Hint> hints) {
            if (hints.isEmpty() || command != Command.COM_QUERY) {
                routeQuery(packet, command);
                return;
            }
            routeQuery(withHintComments(alloc(), packet, hints), command);
        }

        @Override
        public void replyError(int errorCode, String sqlState, String message) {
            session.replyError(errorCode, sqlState, message);
        }
    }
}
