package dev.sluice.server.session;

import static dev.sluice.testkit.seam.TestPackets.columnCount;
import static dev.sluice.testkit.seam.TestPackets.columnDefinition;
import static dev.sluice.testkit.seam.TestPackets.eof;
import static dev.sluice.testkit.seam.TestPackets.err;
import static dev.sluice.testkit.seam.TestPackets.firstByte;
import static dev.sluice.testkit.seam.TestPackets.query;
import static dev.sluice.testkit.seam.TestPackets.sqlOf;
import static dev.sluice.testkit.seam.TestPackets.textRow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.chain.Request;
import dev.sluice.api.filter.Filter;
import dev.sluice.api.filter.FilterSession;
import dev.sluice.api.filter.FilterSessionContext;
import dev.sluice.api.query.Hint;
import dev.sluice.api.query.HintType;
import dev.sluice.api.reply.Reply;
import dev.sluice.api.router.Endpoint;
import dev.sluice.api.router.RouterSession;
import dev.sluice.protocol.Capability;
import dev.sluice.testkit.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chain contract between filters and the router, without a server: a fake client end and a fake router.
 * Filters here pass on, rewrite, attach hints, answer, swallow and replace.
 */
@ExtendWith(LeakCheck.class)
class FilterChainTest {
    private final FakeClient client = new FakeClient();
    private final FakeRouter router = new FakeRouter();
    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void releaseWhatReachedTheClient() {
        client.packets.forEach(ByteBuf::release);
        router.requests.forEach(Request::release);
    }

    @Test
    void hintsReachTheRouterAsObjectsAndTheServerSeesTheTextUnchanged() {
        Filter hinting = filter(ctx -> new FilterSession() {
            @Override
            public void routeQuery(Request request) {
                request.addHint(Hint.apply(HintType.ROUTE_TO_NAMED_SERVER, "db2", ""));
                ctx.routeQuery(request);
            }
        }, false);
        FilterChain chain = FilterChain.of(List.of(hinting), client, router);
        chain.routeQuery(request(query("SELECT 1")));
        assertThat(router.requests).hasSize(1);
        Request r = router.requests.get(0);
        assertThat(r.hints()).containsExactly(Hint.apply(HintType.ROUTE_TO_NAMED_SERVER, "db2", ""));
        assertThat(sqlOf(r.packet())).isEqualTo("SELECT 1");
    }

    @Test
    void aFilterThatRewritesARequestPassesTheNewPacketAndTheOldIsReleased() {
        ByteBuf original = query("SELECT 1");
        Filter rewriting = filter(ctx -> request -> {
            request.replacePacket(query("SELECT 2"));
            ctx.routeQuery(request);
        }, false);
        FilterChain.of(List.of(rewriting), client, router).routeQuery(request(original));
        assertThat(original.refCnt()).isZero();
        assertThat(sqlOf(router.requests.get(0).packet())).isEqualTo("SELECT 2");
    }

    @Test
    void aFilterCanAnswerARequestItselfAndTheFiltersBeforeItSeeTheReply() {
        Filter watching = watcher("outer");
        Filter answering = filter(ctx -> request -> {
            request.release();
            ctx.clientReply(columnCount(1, 1));
            ctx.clientReply(columnDefinition(2, "a"));
            ctx.clientReply(eof(3, 2));
            ctx.clientReply(textRow(4, "cached"));
            ctx.clientReply(eof(5, 2));
        }, false);
        FilterChain.of(List.of(watching, answering), client, router).routeQuery(request(query("SELECT a FROM t")));
        assertThat(router.requests).isEmpty();
        assertThat(client.packets).hasSize(5);
        assertThat(seen).containsExactly("outer COLUMN_DEFINITIONS", "outer COLUMN_DEFINITIONS", "outer ROWS",
                "outer ROWS", "outer DONE RESULT_SET rows=1");
    }

    @Test
    void aFilterCanReplaceAResultSetWithAnErrorAndTheFiltersBeforeItSeeTheError() {
        Filter watching = watcher("outer");
        // maxrows-style: swallow the result set, send an ERR at its end
        Filter replacing = filter(ctx -> new FilterSession() {
            @Override
            public void routeQuery(Request request) {
                ctx.routeQuery(request);
            }

            @Override
            public void clientReply(ByteBuf packet, Reply reply) {
                packet.release();
                if (reply.isComplete()) {
                    ctx.replyError(1415, "0A000", "too many rows");
                }
            }
        }, true);
        FilterChain chain = FilterChain.of(List.of(watching, replacing), client, router);
        chain.routeQuery(request(query("SELECT a FROM t")));
        router.answer(chain, columnCount(1, 1), columnDefinition(2, "a"), eof(3, 2), textRow(4, "x"), eof(5, 2));
        assertThat(client.packets).hasSize(1);
        assertThat(firstByte(client.packets.get(0))).isEqualTo(0xff);
        assertThat((int) client.packets.get(0).getUnsignedByte(3)).isEqualTo(1); // the request's sequence + 1
        assertThat(seen).containsExactly("outer DONE ERROR 1415");
    }

    @Test
    void aFilterThatSwallowsARequestReleasesIt() {
        ByteBuf close = Unpooled.buffer().writeMediumLE(5).writeByte(0).writeByte(0x19).writeIntLE(1);
        Filter swallowing = filter(ctx -> Request::release, false);
        FilterChain.of(List.of(swallowing), client, router).routeQuery(new Request(close, 0x19, null));
        assertThat(close.refCnt()).isZero();
        assertThat(router.requests).isEmpty();
    }

    @Test
    void continuationPacketsPassTheFiltersToo() {
        List<Integer> commands = new ArrayList<>();
        Filter recording = filter(ctx -> request -> {
            commands.add(request.command());
            ctx.routeQuery(request);
        }, false);
        FilterChain chain = FilterChain.of(List.of(recording), client, router);
        chain.routeQuery(request(query("LOAD DATA LOCAL INFILE 'x' INTO TABLE t")));
        chain.routeQuery(new Request(Unpooled.buffer().writeMediumLE(1).writeByte(2).writeByte('a'), -1, null));
        assertThat(commands).containsExactly(0x03, -1);
        assertThat(router.requests).hasSize(2);
    }

    @Test
    void repliesGoStraightToTheClientWhenNoFilterHandlesThem() {
        FilterChain chain = FilterChain.of(List.of(filter(ctx -> ctx::routeQuery, false)), client, router);
        assertThat(chain.handlesReplies()).isFalse();
    }

    @Test
    void aRouterErrorForARequestAFilterAnsweredNeverReachesTheFilterTwice() {
        Filter watching = watcher("outer");
        FilterChain chain = FilterChain.of(List.of(watching), client, router);
        chain.routeQuery(request(query("SELECT 1")));
        router.answer(chain, err(1, 1146, "42S02", "no such table"));
        assertThat(seen).containsExactly("outer DONE ERROR 1146");
        assertThat(client.packets).hasSize(1);
    }

    // ---- fakes

    private Filter watcher(String name) {
        return filter(ctx -> new FilterSession() {
            @Override
            public void routeQuery(Request request) {
                ctx.routeQuery(request);
            }

            @Override
            public void clientReply(ByteBuf packet, Reply reply) {
                String what = name + " " + reply.state();
                if (reply.isComplete()) {
                    what += " " + reply.kind() + (reply.isError() ? " " + reply.error().code()
                            : reply.isResultSet() ? " rows=" + reply.rowCount() : "");
                }
                seen.add(what);
                ctx.clientReply(packet);
            }
        }, true);
    }

    private static Filter filter(Function<FilterSessionContext, FilterSession> sessions, boolean handlesReplies) {
        return new Filter() {
            @Override
            public FilterSession newSession(FilterSessionContext session) {
                return sessions.apply(session);
            }

            @Override
            public boolean handlesReplies() {
                return handlesReplies;
            }
        };
    }

    private static Request request(ByteBuf packet) {
        return new Request(packet, firstByte(packet), null);
    }

    private static final class FakeClient implements FilterChain.Client {
        final List<ByteBuf> packets = new ArrayList<>();

        @Override
        public long sessionId() {
            return 7;
        }

        @Override
        public String user() {
            return "app";
        }

        @Override
        public String clientHost() {
            return "127.0.0.1";
        }

        @Override
        public String serviceName() {
            return "svc";
        }

        @Override
        public ByteBufAllocator alloc() {
            return UnpooledByteBufAllocator.DEFAULT;
        }

        @Override
        public long clientCapabilities() {
            return Capability.PROTOCOL_41;
        }

        @Override
        public void toClient(ByteBuf packet) {
            packets.add(packet);
        }

        @Override
        public int nextReplySequence() {
            return 1;
        }

        @Override
        public void logMalformedReply(RuntimeException e) {
            throw e;
        }
    }

    /** Keeps the requests it gets; answers when told, as if a backend's packets arrived. */
    private static final class FakeRouter implements RouterSession {
        final List<Request> requests = new ArrayList<>();

        void answer(FilterChain chain, ByteBuf... packets) {
            for (ByteBuf p : packets) {
                chain.clientReply(p);
            }
        }

        @Override
        public void start() {
        }

        @Override
        public void routeQuery(Request request) {
            requests.add(request);
        }

        @Override
        public void clientReply(ByteBuf packet, Endpoint endpoint, Reply reply) {
            packet.release();
        }

        @Override
        public void endpointFailed(Endpoint endpoint, String reason, boolean replyInProgress) {
        }

        @Override
        public void close() {
        }
    }
}
