package dev.sluice.server.session;

import dev.sluice.api.chain.Request;
import dev.sluice.api.filter.Filter;
import dev.sluice.api.filter.FilterSession;
import dev.sluice.api.filter.FilterSessionContext;
import dev.sluice.api.router.RouterSession;
import dev.sluice.protocol.Capability;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ReplyTracker;
import dev.sluice.protocol.message.server.ErrPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * One session's filter sessions, in the order the service lists its filters, in front of its router session.
 * Built once at session start from the filters of the service snapshot the session started with, so a later
 * change of the service's {@code filters=} or of a filter's parameters leaves a running session's chain alone.
 * A session whose service has no filters (or whose filters all declined it) has no chain at all: the core
 * hands requests to the router directly. Confined to the session's worker.
 *
 * <p>Replies: a link whose filter {@linkplain Filter#handlesReplies() handles replies} has its own
 * {@link ReplyTracker}, fed with the packets that come up into that link, and told of the requests that link
 * passed down: so each such filter gets a {@code Reply} that describes exactly the packets it sees, whatever the
 * filters below it did to them (replaced a result set with an ERR, answered a request from a cache). Links whose
 * filters do not handle replies are skipped on the way up.
 */
final class FilterChain {

    /** The client end of the chain: the session (a fake in unit tests). */
    interface Client {
        long sessionId();

        String user();

        String clientHost();

        String serviceName();

        ByteBufAllocator alloc();

        /** The capability flags the client negotiated (how its replies are framed). */
        long clientCapabilities();

        /** A packet to the client, ownership transferred. */
        void toClient(ByteBuf packet);

        /** The sequence number of the next packet to the client in answer to the current request. */
        int nextReplySequence();

        /** A reply packet a filter's framing could not read (the filter still gets it). */
        void logMalformedReply(RuntimeException e);
    }

    private final Link head;
    /** Links in chain order. */
    private final Link[] links;
    /** The link nearest the router whose filter handles replies, or null: replies go straight to the client. */
    private final Link lastReplyHandler;

    private FilterChain(Link head, Link[] links) {
        this.head = head;
        this.links = links;
        Link handler = null;
        for (Link link : links) {
            link.upstreamHandler = handler;
            if (link.tracker != null) {
                handler = link;
            }
        }
        this.lastReplyHandler = handler;
    }

    /** The chain of {@code filters} for {@code session}, or null when no filter takes part. */
    static FilterChain of(List<Filter> filters, Client session, RouterSession router) {
        if (filters.isEmpty()) {
            return null;
        }
        List<Link> built = new ArrayList<>(filters.size());
        Link downstream = null; // null: the router
        for (int i = filters.size() - 1; i >= 0; i--) {
            Link link = new Link(session, router, downstream);
            FilterSession fs = filters.get(i).newSession(link);
            if (fs == null) {
                continue; // the filter declined this session (user / source do not match)
            }
            link.filter = fs;
            if (filters.get(i).handlesReplies()) {
                long caps = session.clientCapabilities();
                link.tracker = new ReplyTracker(Capability.has(caps, Capability.DEPRECATE_EOF),
                        Capability.has(caps, Capability.SESSION_TRACK));
            }
            built.add(0, link);
            downstream = link;
        }
        if (built.isEmpty()) {
            return null;
        }
        return new FilterChain(built.get(0), built.toArray(new Link[0]));
    }

    /** A request from the client, ownership transferred. */
    void routeQuery(Request request) {
        head.filter.routeQuery(request);
    }

    /** Whether some filter takes the replies: the router's packets for the client go through {@link #clientReply}. */
    boolean handlesReplies() {
        return lastReplyHandler != null;
    }

    /** A packet the router writes to the client, ownership transferred: up through the filters that handle replies. */
    void clientReply(ByteBuf packet) {
        lastReplyHandler.deliver(packet);
    }

    void close() {
        for (Link link : links) {
            link.filter.close();
        }
    }

    /** The context of one filter session: its way down is the next link's filter, or the router. */
    private static final class Link implements FilterSessionContext {
        private final Client session;
        private final RouterSession router;
        private final Link downstream;
        // set once while the chain is built, then read on the worker only
        FilterSession filter;
        /** Reads the replies that come up into this link; null when its filter does not handle replies. */
        ReplyTracker tracker;
        /** The nearest link towards the client whose filter handles replies, or null: the client. */
        Link upstreamHandler;

        Link(Client session, RouterSession router, Link downstream) {
            this.session = session;
            this.router = router;
            this.downstream = downstream;
        }

        void deliver(ByteBuf packet) {
            try {
                tracker.onPacket(packet);
            } catch (RuntimeException e) {
                // a packet the framing cannot read: the filter still gets it, with what is known
                session.logMalformedReply(e);
            }
            filter.clientReply(packet, tracker);
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
            return session.alloc();
        }

        @Override
        public void routeQuery(Request request) {
            if (tracker != null) {
                if (!request.isContinuation()) {
                    tracker.commandSent(request.command());
                } else if (tracker.isLocalInfileUpload() && Packets.payloadLength(request.packet()) == 0) {
                    tracker.uploadFinished();
                }
            }
            if (downstream == null) {
                router.routeQuery(request);
            } else {
                downstream.filter.routeQuery(request);
            }
        }

        @Override
        public void clientReply(ByteBuf packet) {
            if (upstreamHandler != null) {
                upstreamHandler.deliver(packet);
            } else {
                session.toClient(packet);
            }
        }

        @Override
        public void replyError(int errorCode, String sqlState, String message) {
            clientReply(new ErrPacket(errorCode, sqlState, message).encode(alloc(), session.nextReplySequence()));
        }
    }
}
