package dev.sluice.testkit.seam;

import dev.sluice.api.router.Endpoint;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.server.Server;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend connection that records what the router writes and answers only when told
 * ({@link #answer(Answer)}) or, through its {@link FakeRouterSessionContext}, by the context's responder when the
 * test {@linkplain FakeRouterSessionContext#settle() settles}. Packets written to it are released.
 */
public final class FakeEndpoint implements Endpoint {
    /** One request the router wrote: its command, its text (COM_QUERY / COM_STMT_PREPARE) or hex, its id. */
    public record Sent(int command, String text, long statementId) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final FakeRouterSessionContext context;
    private final Server server;
    private final long threadId;
    private final List<Sent> sent = new ArrayList<>();
    private final ArrayDeque<Sent> awaiting = new ArrayDeque<>();
    private boolean open = true;
    private int statusFlags = TestPackets.STATUS_AUTOCOMMIT;
    private long nextStatementId = 1;
    private RouterSession router;

    FakeEndpoint(FakeRouterSessionContext context, Server server, long threadId) {
        this.context = context;
        this.server = server;
        this.threadId = threadId;
    }

    void router(RouterSession router) {
        this.router = router;
    }

    @Override
    public Server server() {
        return server;
    }

    @Override
    public void write(ByteBuf packet, int command) {
        try {
            if (!open) {
                throw new IllegalStateException(server.name() + ": write on a closed endpoint");
            }
            String text;
            long id = -1;
            if (command == TestPackets.COM_QUERY || command == TestPackets.COM_STMT_PREPARE
                    || command == TestPackets.COM_INIT_DB) {
                text = TestPackets.sqlOf(packet);
            } else if (command >= 0 && packet.readableBytes() >= 9 && command >= TestPackets.COM_STMT_EXECUTE
                    && command <= 0x1c) {
                id = packet.getUnsignedIntLE(packet.readerIndex() + 5);
                text = commandName(command) + "(" + id + ")";
            } else {
                text = command < 0 ? "continuation" : commandName(command);
            }
            Sent s = new Sent(command, text, id);
            sent.add(s);
            if (expectsReply(command)) {
                awaiting.add(s);
                context.pending(this);
            }
        } finally {
            packet.release();
        }
    }

    private static boolean expectsReply(int command) {
        return command >= 0 && command != TestPackets.COM_QUIT && command != TestPackets.COM_STMT_CLOSE
                && command != 0x18; // COM_STMT_SEND_LONG_DATA
    }

    private static String commandName(int command) {
        return switch (command) {
            case TestPackets.COM_PING -> "COM_PING";
            case TestPackets.COM_QUIT -> "COM_QUIT";
            case TestPackets.COM_STMT_EXECUTE -> "COM_STMT_EXECUTE";
            case TestPackets.COM_STMT_CLOSE -> "COM_STMT_CLOSE";
            case 0x18 -> "COM_STMT_SEND_LONG_DATA";
            case 0x1a -> "COM_STMT_RESET";
            case 0x1c -> "COM_STMT_FETCH";
            case 0x1f -> "COM_RESET_CONNECTION";
            default -> "COM_0x" + Integer.toHexString(command);
        };
    }

    /** Every request written so far, oldest first. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The requests not answered yet, oldest first. */
    public List<Sent> awaiting() {
        return List.copyOf(awaiting);
    }

    /** The server generates statement ids from {@code first} on (servers number them independently). */
    public FakeEndpoint statementIdsFrom(long first) {
        nextStatementId = first;
        return this;
    }

    /** A statement id this server would generate for its next prepare. */
    long nextStatementId() {
        return nextStatementId++;
    }

    /**
     * Answers the oldest request waiting: each packet of {@code answer} goes to the router session with its
     * reply (the connection counts as idle when the last one is handed up, as a real one does).
     */
    public void answer(Answer answer) {
        if (awaiting.isEmpty()) {
            throw new IllegalStateException(server.name() + ": nothing to answer");
        }
        Sent request = awaiting.peek();
        List<Answer.Step> steps = answer.steps();
        for (int i = 0; i < steps.size(); i++) {
            Answer.Step step = steps.get(i);
            ScriptedReply reply = step.reply().copy();
            reply.command = request.command();
            if (i == steps.size() - 1) {
                awaiting.poll();
                statusFlags = reply.serverStatus;
            }
            if (!open) {
                return;
            }
            router.clientReply(step.packet().apply(i + 1), this, reply);
        }
    }

    /** The server closes the connection (it died): the router hears of it. */
    public void fail(String reason) {
        boolean inProgress = !awaiting.isEmpty();
        open = false;
        awaiting.clear();
        router.endpointFailed(this, reason, inProgress);
    }

    @Override
    public boolean isBusy() {
        return !awaiting.isEmpty();
    }

    @Override
    public boolean inTransaction() {
        return (statusFlags & TestPackets.STATUS_IN_TRANS) != 0;
    }

    @Override
    public int statusFlags() {
        return statusFlags;
    }

    @Override
    public long backendThreadId() {
        return threadId;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        awaiting.clear();
    }

    @Override
    public String toString() {
        return server.name() + "#" + threadId;
    }

    static String hex(ByteBuf b) {
        return ByteBufUtil.hexDump(b);
    }
}
