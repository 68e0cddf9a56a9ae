package dev.sluice.testkit.seam;

import dev.sluice.api.chain.Request;
import dev.sluice.api.filter.FilterSessionContext;
import dev.sluice.api.query.Hint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's side of one filter session, faked: it records the requests the filter passes down (their text and
 * hints; the packets are released) and the packets it passes up to the client.
 */
public final class FakeFilterSessionContext implements FilterSessionContext {
    /** A request the filter passed on: command, statement text (COM_QUERY / PREPARE) and hints. */
    public record Routed(int command, String sql, List<Hint> hints) {
    }

    private final String user;
    private final String clientHost;
    private final List<Routed> routed = new ArrayList<>();
    private final List<ByteBuf> toClient = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();

    public FakeFilterSessionContext(String user, String clientHost) {
        this.user = user;
        this.clientHost = clientHost;
    }

    public FakeFilterSessionContext() {
        this("app", "127.0.0.1");
    }

    /** What the filter passed down, oldest first. */
    public List<Routed> routed() {
        return List.copyOf(routed);
    }

    /** Packets the filter passed up, still owned by this context: {@link #releaseClientPackets()} frees them. */
    public List<ByteBuf> toClient() {
        return List.copyOf(toClient);
    }

    /** ERRs the filter answered with: "code sqlstate message". */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    public void releaseClientPackets() {
        toClient.forEach(ByteBuf::release);
        toClient.clear();
    }

    @Override
    public long sessionId() {
        return 1;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String clientHost() {
        return clientHost;
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
        routed.add(new Routed(request.command(), request.sql(), List.copyOf(request.hints())));
        request.release();
    }

    @Override
    public void clientReply(ByteBuf packet) {
        toClient.add(packet);
    }

    @Override
    public void replyError(int errorCode, String sqlState, String message) {
        errors.add(errorCode + " " + sqlState + " " + message);
    }
}
