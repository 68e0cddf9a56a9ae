package dev.sluice.testkit.seam;

import dev.sluice.api.chain.Request;
import dev.sluice.api.filter.Filter;
import dev.sluice.api.filter.FilterSession;
import dev.sluice.api.filter.FilterSessionContext;
import dev.sluice.api.query.QueryClassifier;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.router.Router;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.api.server.Server;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The core's side of one router session, faked: servers a test controls, endpoints that record what reaches each
 * server ({@link FakeEndpoint}), a record of what reaches the client, and a manual clock for scheduled tasks.
 * Nothing happens behind the test's back: connections complete, servers answer and timers fire when the test
 * calls {@link #settle()} or {@link #advance(long)}. Single-threaded, like a worker.
 *
 * <p>Typical use: {@code ctx.start(router)}, then {@code ctx.send(TestPackets.query("SELECT 1"))} and read
 * {@link #clientSaw()} and each endpoint's {@link FakeEndpoint#sent()}.
 */
public final class FakeRouterSessionContext implements RouterSessionContext, Request.Classifier {

    /** How servers answer when the test lets them ({@link #settle()}): by default {@link #DEFAULT_RESPONDER}. */
    public interface Responder extends BiFunction<FakeEndpoint, FakeEndpoint.Sent, Answer> {
    }

    /**
     * Reads (SELECT, SHOW, WITH, EXECUTE, leading comments skipped) get one row with the server's name; the status
     * flags follow the statement as a server's would: BEGIN / START TRANSACTION open a transaction, COMMIT and
     * ROLLBACK close it, {@code SET autocommit=0} makes every statement open one implicitly; COM_STMT_PREPARE gets
     * a fresh id and one parameter definition per '?'; everything else an OK.
     */
    public static final Responder DEFAULT_RESPONDER = (endpoint, sent) -> {
        String text = withoutLeadingComments(sent.text() == null ? "" : sent.text()).toUpperCase(Locale.ROOT);
        int before = endpoint.statusFlags();
        boolean autocommit = (before & TestPackets.STATUS_AUTOCOMMIT) != 0;
        String compact = text.replace(" ", "");
        if (compact.startsWith("SETAUTOCOMMIT=0") || compact.startsWith("SETAUTOCOMMIT=OFF")) {
            autocommit = false;
        } else if (compact.startsWith("SETAUTOCOMMIT=1") || compact.startsWith("SETAUTOCOMMIT=ON")) {
            autocommit = true;
        }
        boolean inTrx = (before & TestPackets.STATUS_IN_TRANS) != 0;
        if (text.startsWith("BEGIN") || text.startsWith("START TRANSACTION")) {
            inTrx = true;
        } else if (text.startsWith("COMMIT") || text.startsWith("ROLLBACK") || compact.startsWith("SETAUTOCOMMIT=")) {
            inTrx = false;
        } else if (!autocommit && sent.command() != TestPackets.COM_PING) {
            inTrx = true; // an implicit transaction
        }
        int status = (autocommit ? TestPackets.STATUS_AUTOCOMMIT : 0) | (inTrx ? TestPackets.STATUS_IN_TRANS : 0);
        return switch (sent.command()) {
            case TestPackets.COM_QUERY -> {
                if (text.startsWith("SELECT") || text.startsWith("SHOW") || text.startsWith("WITH")
                        || text.startsWith("EXECUTE")) {
                    yield Answer.rows(status, "server", endpoint.server().name());
                }
                yield Answer.ok(text.startsWith("INSERT") || text.startsWith("UPDATE") || text.startsWith("DELETE")
                        ? 1 : 0, status);
            }
            case TestPackets.COM_STMT_PREPARE -> Answer.prepared(endpoint.nextStatementId(),
                    (int) sent.text().chars().filter(c -> c == '?').count());
            case TestPackets.COM_STMT_EXECUTE -> Answer.rows(status, "server", endpoint.server().name());
            default -> Answer.ok(0, status);
        };
    };

    /** The statement without leading {@code /* … *&#47;} comments and white space. */
    static String withoutLeadingComments(String sql) {
        String s = sql.strip();
        while (s.startsWith("/*")) {
            int end = s.indexOf("*/");
            if (end < 0) {
                return s;
            }
            s = s.substring(end + 2).strip();
        }
        return s;
    }

    private final List<Server> servers;
    private final QueryClassifier classifier;
    private final Map<String, List<FakeEndpoint>> endpoints = new LinkedHashMap<>();
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    private final List<Timer> timers = new ArrayList<>();
    private final List<String> clientSaw = new ArrayList<>();
    private final Set<String> refuse = new HashSet<>();
    private ClientView clientView = new ClientView(-1);
    private Responder responder = DEFAULT_RESPONDER;
    private RouterSession router;
    /** A filter session in front of the router, or null. */
    private FilterSession filter;
    private QueryContext queryContext = QueryContext.DEFAULT;
    private long now;
    private long nextThreadId = 100;
    private boolean ready;
    private boolean closed;
    private String closeReason;
    private boolean waitingForReply;
    private int lastClientSequence;
    private boolean autoAnswer = true;
    private int currentCommand = -1;

    private record Timer(long at, Runnable task, boolean[] cancelled) {
    }

    public FakeRouterSessionContext(List<? extends Server> servers, QueryClassifier classifier) {
        this.servers = List.copyOf(servers);
        this.classifier = classifier;
    }

    /** Creates the router's session for this context, starts it and settles. */
    public RouterSession start(Router r) {
        router = r.newSession(this);
        router.start();
        settle();
        return router;
    }

    public RouterSession router() {
        return router;
    }

    /**
     * Puts a session of {@code f} in front of the router (requests pass it first; its replies and errors reach the
     * client record). Call after {@link #start}.
     */
    public FakeRouterSessionContext filter(Filter f) {
        filter = f.newSession(new FilterSessionContext() {
            @Override
            public long sessionId() {
                return FakeRouterSessionContext.this.sessionId();
            }

            @Override
            public String user() {
                return FakeRouterSessionContext.this.user();
            }

            @Override
            public String clientHost() {
                return FakeRouterSessionContext.this.clientHost();
            }

            @Override
            public String serviceName() {
                return "Test-Service";
            }

            @Override
            public ByteBufAllocator alloc() {
                return UnpooledByteBufAllocator.DEFAULT;
            }

            @Override
            public void routeQuery(Request request) {
                router.routeQuery(request);
            }

            @Override
            public void clientReply(ByteBuf packet) {
                writeToClient(packet);
            }

            @Override
            public void replyError(int errorCode, String sqlState, String message) {
                FakeRouterSessionContext.this.replyError(errorCode, sqlState, message);
            }
        });
        return this;
    }

    /** How servers answer from now on; {@code null} leaves every request waiting for {@link FakeEndpoint#answer}. */
    public FakeRouterSessionContext responder(Responder responder) {
        this.responder = responder;
        this.autoAnswer = responder != null;
        return this;
    }

    /** Connections to this server fail from now on. */
    public void refuse(String serverName) {
        refuse.add(serverName);
    }

    /** Sends a client request (a packet from {@link TestPackets}) down to the router, then settles. */
    public void send(ByteBuf packet) {
        sendWithoutSettling(packet);
        settle();
    }

    /** Sends a client request without letting anything else happen yet. */
    public void sendWithoutSettling(ByteBuf packet) {
        int command = TestPackets.firstByte(packet);
        lastClientSequence = TestPackets.sequence(packet);
        waitingForReply = command != TestPackets.COM_QUIT && command != TestPackets.COM_STMT_CLOSE;
        clientView = new ClientView(command);
        currentCommand = command;
        Request request = new Request(packet, command, this);
        if (filter != null) {
            filter.routeQuery(request);
        } else {
            router.routeQuery(request);
        }
    }

    /**
     * Lets everything pending happen: connections complete, servers answer the requests waiting (with the
     * responder), until nothing is left.
     */
    public void settle() {
        int guard = 0;
        while (!deferred.isEmpty()) {
            if (++guard > 100_000) {
                throw new IllegalStateException("the router session does not settle (a request loop?)");
            }
            deferred.poll().run();
        }
    }

    /** Moves the manual clock on, running the tasks that come due, and settles. */
    public void advance(long millis) {
        long until = now + millis;
        while (true) {
            Timer next = null;
            for (Timer t : timers) {
                if (t.at() <= until && (next == null || t.at() < next.at())) {
                    next = t;
                }
            }
            if (next == null) {
                break;
            }
            timers.remove(next);
            now = next.at();
            if (!next.cancelled()[0] && !closed) {
                next.task().run();
                settle();
            }
        }
        now = until;
    }

    void pending(FakeEndpoint endpoint) {
        if (!autoAnswer) {
            return;
        }
        deferred.add(() -> {
            if (endpoint.isOpen() && !endpoint.awaiting().isEmpty() && responder != null) {
                endpoint.answer(responder.apply(endpoint, endpoint.awaiting().get(0)));
            }
        });
    }

    /** Every connection opened to the server, oldest first. */
    public List<FakeEndpoint> endpoints(String serverName) {
        return endpoints.getOrDefault(serverName, List.of());
    }

    /** The newest connection to the server. */
    public FakeEndpoint endpoint(String serverName) {
        List<FakeEndpoint> list = endpoints(serverName);
        if (list.isEmpty()) {
            throw new IllegalStateException("no connection to " + serverName);
        }
        return list.get(list.size() - 1);
    }

    /** Summaries of what reached the client, one per reply: {@code OK}, {@code ERR(1927)}, {@code rows[a, b]}. */
    public List<String> clientSaw() {
        List<String> out = new ArrayList<>(clientSaw);
        if (!clientView.isEmpty()) {
            out.add(clientView.summary() + "…");
        }
        return out;
    }

    /** What reached the client for the current request so far (the reply in progress), or "". */
    public String lastReply() {
        return clientSaw.isEmpty() ? "" : clientSaw.get(clientSaw.size() - 1);
    }

    public void clearClientSaw() {
        clientSaw.clear();
    }

    public boolean isReady() {
        return ready;
    }

    public boolean isClosed() {
        return closed;
    }

    public String closeReason() {
        return closeReason;
    }

    // ---- RouterSessionContext

    @Override
    public long sessionId() {
        return 1;
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
    public List<Server> servers() {
        return servers;
    }

    @Override
    public void connect(Server server, ConnectListener listener) {
        deferred.add(() -> {
            if (closed) {
                return;
            }
            if (refuse.contains(server.name()) || !server.status().isRunning()) {
                listener.failed("connection refused (test)");
                return;
            }
            FakeEndpoint e = new FakeEndpoint(this, server, nextThreadId++);
            e.router(router);
            endpoints.computeIfAbsent(server.name(), k -> new ArrayList<>()).add(e);
            listener.connected(e);
        });
    }

    @Override
    public void ready() {
        ready = true;
    }

    @Override
    public void fail(int errorCode, String sqlState, String message) {
        clientSaw.add("ERR(" + errorCode + ")");
        closed = true;
        closeReason = message;
    }

    @Override
    public void writeToClient(ByteBuf packet) {
        try {
            if (clientView.add(packet)) {
                clientSaw.add(clientView.summary());
                clientView = new ClientView(currentCommand);
                waitingForReply = false;
            }
        } finally {
            packet.release();
        }
    }

    @Override
    public void replyWritten() {
        waitingForReply = false;
    }

    @Override
    public void replyError(int errorCode, String sqlState, String message) {
        clientSaw.add("ERR(" + errorCode + ")");
        clientView = new ClientView(currentCommand);
        waitingForReply = false;
    }

    @Override
    public void closeSession(String reason) {
        closed = true;
        closeReason = reason;
    }

    @Override
    public QueryClassifier classifier() {
        return classifier;
    }

    @Override
    public boolean clientWaitingForReply() {
        return waitingForReply;
    }

    @Override
    public Runnable schedule(long delayMillis, Runnable task) {
        boolean[] cancelled = {false};
        timers.add(new Timer(now + delayMillis, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void queryContext(QueryContext context) {
        queryContext = context;
    }

    // ---- Request.Classifier

    @Override
    public QueryContext context() {
        return queryContext;
    }

    @Override
    public QueryInfo classify(ByteBuf text, QueryContext context) {
        return classifier.classify(text, context);
    }

    /**
     * The client's reading of one reply, packet by packet (classic EOFs, no CLIENT_DEPRECATE_EOF): OK, ERR, or a
     * result set with one column whose row values are collected.
     */
    private static final class ClientView {
        private final int command;
        private String summary;
        private int stage; // 0 first packet, 1 column definitions, 2 rows, 3 a prepare's definitions
        private long definitions;
        private final List<String> rows = new ArrayList<>();

        ClientView(int command) {
            this.command = command;
        }

        boolean isEmpty() {
            return stage == 0 && summary == null;
        }

        /** Reads the packet; true when it ended the reply. */
        boolean add(ByteBuf packet) {
            int first = TestPackets.firstByte(packet);
            int length = packet.getUnsignedMediumLE(packet.readerIndex());
            switch (stage) {
                case 0 -> {
                    if (first == 0x00 && command == TestPackets.COM_STMT_PREPARE) {
                        int base = packet.readerIndex() + 4;
                        summary = "PREPARED(" + packet.getUnsignedIntLE(base + 1) + ")";
                        definitions = packet.getUnsignedShortLE(base + 5) + packet.getUnsignedShortLE(base + 7);
                        stage = 3;
                        return definitions == 0;
                    }
                    if (first == 0x00) {
                        int status = okStatus(packet);
                        summary = "OK";
                        return (status & TestPackets.STATUS_MORE_RESULTS) == 0;
                    }
                    if (first == 0xff) {
                        summary = "ERR(" + packet.getUnsignedShortLE(packet.readerIndex() + 5) + ")";
                        return true;
                    }
                    if (first == 0xfe && length < 9) {
                        summary = "EOF";
                        return true;
                    }
                    stage = 1;
                    return false;
                }
                case 3 -> {
                    return --definitions == 0; // as with CLIENT_DEPRECATE_EOF: no EOF after the definitions
                }
                case 1 -> {
                    if (first == 0xfe && length < 9) {
                        stage = 2;
                    }
                    return false;
                }
                default -> {
                    if (first == 0xff) {
                        summary = "rows" + rows + " then ERR(" + packet.getUnsignedShortLE(packet.readerIndex() + 5)
                                + ")";
                        return true;
                    }
                    if (first == 0xfe && length < 9) {
                        summary = "rows" + rows;
                        return true;
                    }
                    int n = packet.getUnsignedByte(packet.readerIndex() + 4);
                    rows.add(n == 0xfb ? "NULL"
                            : packet.toString(packet.readerIndex() + 5, Math.min(n, length - 1), StandardCharsets.UTF_8));
                    return false;
                }
            }
        }

        String summary() {
            return summary != null ? summary : stage == 0 ? "" : "rows" + rows;
        }

        private static int okStatus(ByteBuf packet) {
            int i = packet.readerIndex() + 5;
            i += lenencSize(packet.getUnsignedByte(i));
            i += lenencSize(packet.getUnsignedByte(i));
            return packet.getUnsignedShortLE(i);
        }

        private static int lenencSize(int first) {
            return first < 0xfb ? 1 : first == 0xfc ? 3 : first == 0xfd ? 4 : 9;
        }
    }
}
