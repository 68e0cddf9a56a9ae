package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.QueryInfo;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * {@code /* sluice explain *&#47; stmt}: answers with one row (target, server, reason) naming where the session
 * would send the statement and why, without running it. Confined to the session's worker.
 */
final class Explain {
    private static final byte[] PREFIX = "/* sluice explain */".getBytes(StandardCharsets.US_ASCII);

    private final ReadWriteSplitSession owner;

    Explain(ReadWriteSplitSession owner) {
        this.owner = owner;
    }

    static boolean startsWithExplain(ByteBuf packet) {
        int start = packet.readerIndex() + Packets.HEADER_SIZE + 1;
        int end = packet.readerIndex() + Packets.HEADER_SIZE + Packets.payloadLength(packet);
        while (start < end && Character.isWhitespace(packet.getByte(start))) {
            start++;
        }
        if (end - start < PREFIX.length || packet.getByte(start) != '/') {
            return false;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (Character.toLowerCase(packet.getByte(start + i)) != PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The row is produced by a constant SELECT on a connection that is ready, so the result set has the format
     * the client negotiated. Takes ownership of {@code packet}.
     */
    void answer(Request r, ByteBuf packet, QueryInfo info) {
        TransactionState what = owner.trx.copy();
        what.beforeStatement(info);
        RoutingDecision d = owner.router.decider().decide(info, what, owner.state::textPrepared,
                owner.hints.current());
        Backend primary = owner.primary;
        String server = switch (d.target()) {
            case ALL -> "all";
            case REPLICA -> {
                Backend b = what.readOnlyTransaction() && owner.readOnlyTrxBackend != null ? owner.readOnlyTrxBackend
                        : owner.selection.chooseReadBackend(List.of(), b2 -> true, false);
                yield b != null ? b.server.name() : primary != null ? primary.server.name() + " (no replica)" : "none";
            }
            case NAMED_SERVER -> d.serverName();
            case LAST_USED -> owner.lastUsed != null ? owner.lastUsed.server.name() : "none";
            default -> primary != null ? primary.server.name() : "none";
        };
        String sql = "SELECT " + quote(d.target().name().toLowerCase(Locale.ROOT)) + " AS target, "
                + quote(server) + " AS server, " + quote(d.reason()) + " AS reason";
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        ByteBuf query = Packets.start(packet.alloc(), 1 + text.length);
        query.writeByte(Command.COM_QUERY).writeBytes(text);
        Packets.finish(query, Packets.sequence(packet));
        packet.release();
        r.explain = true;
        r.decision = RoutingDecision.of(RouteTarget.PRIMARY, "explain");
        Backend b = primary != null && primary.ready() ? primary : owner.firstReady();
        if (b == null) {
            query.release();
            owner.current = null;
            owner.session.replyError(ReadWriteSplitSession.ER_CONNECTION_KILLED, ReadWriteSplitSession.LOST_CONNECTION_STATE, "readwritesplit: no connection to answer explain");
            return;
        }
        r.targets.add(b);
        r.source = b;
        owner.write(r, b, query);
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
