package dev.sluice.api.chain;

import dev.sluice.api.query.Hint;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One client request on its way down the chain: a physical packet (header included), its command, the
 * classification of its statement computed once and only when a link asks for it, and the routing hints filters
 * attached (as objects: the server never sees them).
 *
 * <p>A request owns its packet. A link that gets a request either passes it on (ownership goes with it), or
 * {@linkplain #release() releases} it (after answering it itself, or to drop it). Confined to the session's worker.
 *
 * <p>A request that spans packets (16 MiB and more) and LOCAL INFILE data come as one request per packet: the
 * first with its command, the others with {@link #command()} = -1 ({@link #isContinuation()}).
 */
public final class Request {

    /** Classifies statement text for a session: its worker's classifier with the session's current context. */
    public interface Classifier {
        /** The session's current {@link QueryContext}; a new instance whenever it changes. */
        QueryContext context();

        /** Classifies the readable bytes of {@code text} (not consumed, not released) under {@code context}. */
        QueryInfo classify(ByteBuf text, QueryContext context);
    }

    private ByteBuf packet;
    private final int command;
    private final Classifier classifier;
    private List<Hint> hints = List.of();
    private QueryInfo info;
    private QueryContext infoContext;

    /**
     * @param packet     the packet, header included; owned by the request from now on
     * @param command    the command byte, or -1 for a continuation packet
     * @param classifier how the session classifies statements; null when no classification is available
     */
    public Request(ByteBuf packet, int command, Classifier classifier) {
        this.packet = Objects.requireNonNull(packet, "packet");
        this.command = command;
        this.classifier = classifier;
    }

    /** The packet (header included). The request still owns it: use {@link #takePacket()} to take it over. */
    public ByteBuf packet() {
        return packet;
    }

    /** Takes the packet over: the caller owns it, the request no longer does (further calls return null). */
    public ByteBuf takePacket() {
        ByteBuf p = packet;
        packet = null;
        return p;
    }

    /** The command byte (0x03 COM_QUERY, 0x16 COM_STMT_PREPARE …), or -1 for a continuation packet. */
    public int command() {
        return command;
    }

    public boolean isContinuation() {
        return command < 0;
    }

    /** Whether the request carries statement text: COM_QUERY or COM_STMT_PREPARE in one packet. */
    public boolean hasSql() {
        return (command == 0x03 || command == 0x16) && packet != null && payloadLength() < 0xFFFFFF;
    }

    /** The statement text of a COM_QUERY or COM_STMT_PREPARE, else null. Decoded on each call. */
    public String sql() {
        if (!hasSql()) {
            return null;
        }
        return packet.toString(packet.readerIndex() + 5, payloadLength() - 1, StandardCharsets.UTF_8);
    }

    /**
     * The classification of the statement (COM_QUERY / COM_STMT_PREPARE text) under the session's current context,
     * computed on the first call and again only when the packet was replaced or the context changed; null for other
     * commands or when no classifier is available.
     */
    public QueryInfo queryInfo() {
        if (classifier == null || !hasSql()) {
            return null;
        }
        QueryContext context = classifier.context();
        if (info == null || infoContext != context) {
            info = classifier.classify(packet.slice(packet.readerIndex() + 5, payloadLength() - 1), context);
            infoContext = context;
        }
        return info;
    }

    /** Whether the statement was classified already (a link asked): for links that only want a free look. */
    public boolean isClassified() {
        return info != null;
    }

    /**
     * Replaces the packet (a rewritten statement): the old one is released, the classification is dropped. The
     * command stays the same.
     */
    public void replacePacket(ByteBuf newPacket) {
        Objects.requireNonNull(newPacket, "newPacket");
        if (packet != null && packet != newPacket) {
            packet.release();
        }
        packet = newPacket;
        info = null;
        infoContext = null;
    }

    /** Hints for this request alone, attached by filters, in the order they apply (first wins). */
    public List<Hint> hints() {
        return hints;
    }

    /** Attaches a hint; hints attached earlier (by filters nearer the client) come first. */
    public void addHint(Hint hint) {
        Objects.requireNonNull(hint, "hint");
        if (hints.isEmpty()) {
            hints = new ArrayList<>(2);
        }
        hints.add(hint);
    }

    /** Releases the packet (the request was answered or dropped by the link holding it). Idempotent. */
    public void release() {
        if (packet != null) {
            packet.release();
            packet = null;
        }
    }

    private int payloadLength() {
        return packet.getUnsignedMediumLE(packet.readerIndex());
    }

    @Override
    public String toString() {
        return "Request[command=" + command + (hasSql() ? ", sql=" + sql() : "") + "]";
    }
}
