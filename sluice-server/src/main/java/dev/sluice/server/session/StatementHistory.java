package dev.sluice.server.session;

import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code retain_last_statements} and {@code dump_last_statements}: the last N statements (COM_QUERY and
 * COM_STMT_PREPARE texts) a session received, shown by {@code GET /v1/sessions/:id} ({@code queries}) and logged
 * when the session closes ({@code on_close}) or closes because of an error ({@code on_error}: any end but the
 * client's quit or disconnect, wait_timeout, a kill or a shutdown), as MaxScale does.
 *
 * <p>Confined to the session's worker; {@link #snapshot()} copies for the admin API, which asks on the worker.
 */
public final class StatementHistory {
    /** How the retained statements are dumped. */
    enum Dump { NEVER, ON_ERROR, ON_CLOSE }

    /** The global setting, replaced as a whole by {@code PATCH /v1/maxscale}; read when a session starts. */
    record Settings(long retain, Dump dump) {
        static final Settings OFF = new Settings(0, Dump.NEVER);

        /** The service's {@code retain_last_statements} when not -1, else the global one. */
        Settings forService(long serviceRetain) {
            return serviceRetain < 0 ? this : new Settings(serviceRetain, dump);
        }
    }

    /** One retained statement. */
    public record Entry(long atMillis, String sql) {
    }

    private static final Logger log = LoggerFactory.getLogger(StatementHistory.class);
    private static final Set<String> NORMAL_ENDS = Set.of("client quit", "client disconnected",
            "idle for longer than wait_timeout", "killed", "shutting down", "shutdown");
    private static final int MAX_TEXT = 4096;

    private final int capacity;
    private final Dump dump;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    private StatementHistory(int capacity, Dump dump) {
        this.capacity = capacity;
        this.dump = dump;
    }

    /** The history a new session keeps, or null when retain_last_statements is 0. */
    static StatementHistory create(Settings s) {
        return s.retain() <= 0 ? null : new StatementHistory((int) Math.min(s.retain(), 100_000), s.dump());
    }

    /** Records the statement of a COM_QUERY or COM_STMT_PREPARE packet (the packet is not consumed). */
    void add(ByteBuf packet, int command) {
        if (command != Command.COM_QUERY && command != Command.COM_STMT_PREPARE) {
            return;
        }
        int len = Math.min(Packets.payloadLength(packet) - 1, MAX_TEXT);
        String sql = len <= 0 ? "" : packet.toString(packet.readerIndex() + Packets.HEADER_SIZE + 1, len,
                StandardCharsets.UTF_8);
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(System.currentTimeMillis(), sql));
    }

    List<Entry> snapshot() {
        return List.copyOf(entries);
    }

    /** Whether a session that closed for this reason ended in an error (not a quit, disconnect, timeout, kill…). */
    static boolean endedInError(String reason) {
        return !NORMAL_ENDS.contains(reason);
    }

    /** Logs the statements when the dump setting asks for it at this end of the session. */
    void sessionClosed(long sessionId, String reason) {
        boolean error = endedInError(reason);
        if (dump == Dump.NEVER || dump == Dump.ON_ERROR && !error || entries.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        int i = 1;
        for (Entry e : entries) {
            sb.append("\n  ").append(i++).append(": ").append(e.sql());
        }
        log.warn("Session {} closed ({}): its last {} statements:{}", sessionId, reason, entries.size(), sb);
    }
}
