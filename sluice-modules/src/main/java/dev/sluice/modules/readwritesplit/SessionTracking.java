package dev.sluice.modules.readwritesplit;

import dev.sluice.api.reply.SessionChanges;
import dev.sluice.api.reply.Reply;
import dev.sluice.protocol.message.client.ComQuery;
import dev.sluice.api.router.Endpoint;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.protocol.Capability;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ProtocolException;
import dev.sluice.protocol.message.server.SessionTrack;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the servers say about the session in their OK packets (session state tracking), as MaxScale uses it: each
 * MariaDB connection is asked to track {@code last_gtid}, {@code autocommit}, {@code tx_isolation} and the
 * transaction state and characteristics once the history is replayed on it, and the final OK of every reply
 * is read. The reply source's data correct the transaction state (a transaction or autocommit=0 started inside a
 * stored procedure, an isolation level set there), and the GTID of a write comes with its OK instead of a
 * {@code SELECT @@last_gtid} round trip (causal_reads).
 *
 * <p>Every backend connection negotiates CLIENT_SESSION_TRACK where the server has it, whatever the client did; for
 * a client that did not, the OK packets it gets are rewritten ({@link #forClient}: no session state, no
 * SERVER_SESSION_STATE_CHANGED, the info text as such a client reads it), so it never sees data it did not ask for.
 * On a MySQL server the session falls back to the status flags and the extra query. A client that sets
 * {@code session_track_system_variables} or {@code session_track_transaction_info} itself (MariaDB Connector/J may at
 * connect) has Sluice's additions put back on every connection before its next request. The setup costs no round
 * trip: it is pipelined before the connection's next request. Confined to the session's worker.
 */
final class SessionTracking {
    private static final Logger log = LoggerFactory.getLogger(SessionTracking.class);
    static final String SETUP_SQL = "SET session_track_system_variables = IF(@@session_track_system_variables = '*',"
            + " '*', CONCAT_WS(',', NULLIF(@@session_track_system_variables, ''), 'last_gtid,autocommit,tx_isolation'))"
            + ", session_track_transaction_info = 'CHARACTERISTICS'";
    private static final byte[] TRACK_SETTING = "session_track".getBytes(StandardCharsets.US_ASCII);

    private final ReadWriteSplitSession owner;

    SessionTracking(ReadWriteSplitSession owner) {
        this.owner = owner;
    }

    /** Whether tracking is asked of this connection: it negotiated CLIENT_SESSION_TRACK and the server is MariaDB. */
    static boolean wanted(Backend b) {
        long caps = b.endpoint == null ? 0 : b.endpoint.capabilities();
        return Capability.has(caps, Capability.SESSION_TRACK) && !Capability.has(caps, Capability.CLIENT_MYSQL);
    }

    /** Whether OK packets from this connection must be rewritten for the client (it negotiated tracking, the client not). */
    static boolean rewritesOks(Endpoint endpoint, RouterSessionContext session) {
        return SessionTrack.mustStrip(endpoint.capabilities(), session.clientCapabilities());
    }

    /**
     * An OK packet (the endpoint said so) from a connection with CLIENT_SESSION_TRACK, for a client without it: the
     * session state goes, affected rows, insert id, warnings and info text stay. Takes {@code packet}; an OK that
     * cannot be read is passed on as it is.
     */
    static ByteBuf forClient(Backend b, ByteBuf packet) {
        try {
            return SessionTrack.withoutSessionState(packet);
        } catch (ProtocolException e) {
            log.debug("{}: unreadable OK packet passed on as it is: {}", b.server.name(), e.getMessage());
            return packet;
        }
    }

    /**
     * Sends the tracking setup on a connection (after it replayed the history, or after a session command that
     * changed the tracking), pipelined: the connection stays usable, and the setup's reply, the next one to arrive
     * on it, is taken by {@link #setUpReply}. Returns false when tracking is not wanted there.
     */
    boolean setUp(Backend b) {
        b.trackingSetUp = true;
        if (!wanted(b)) {
            return false;
        }
        b.pendingSetups++;
        b.endpoint.write(ComQuery.encode(ByteBufAllocator.DEFAULT, SETUP_SQL, 0), Command.COM_QUERY);
        return true;
    }

    /** The reply (one OK or ERR packet) to a setup: tracking is on when it succeeded. Takes the packet. */
    void setUpReply(Backend b, ByteBuf packet, Reply reply) {
        boolean failed = reply.isError();
        packet.release();
        b.pendingSetups--;
        b.tracking = !failed;
        if (failed) {
            log.debug("Session {}: {} does not track the session state; status flags and queries it is",
                    owner.session.sessionId(), b.server.name());
        }
    }

    /** The GTID the reply in progress (or just complete) reported: last_gtid, or MySQL's GTID entry; else null. */
    static String replyGtid(Backend b) {
        return b.replyGtid;
    }

    /** Corrects the transaction state from what the reply source's final OK reported. */
    void afterReply(Backend src) {
        SessionChanges t = src.replyTrack;
        if (t == null) {
            return;
        }
        owner.trx.afterTracking(t.transactionOpen(), t.variable("autocommit"), t.variable("tx_isolation"));
    }

    /**
     * Whether a session command changes what the server tracks ({@code session_track_*}): Sluice's settings are
     * put back afterwards.
     */
    static boolean changesTracking(int command, ByteBuf packet) {
        if (command != Command.COM_QUERY) {
            return false;
        }
        int start = packet.readerIndex() + Packets.HEADER_SIZE + 1;
        int end = packet.readerIndex() + Packets.HEADER_SIZE + Packets.payloadLength(packet);
        for (int i = start; i + TRACK_SETTING.length <= end; i++) {
            int j = 0;
            while (j < TRACK_SETTING.length
                    && Character.toLowerCase((char) packet.getByte(i + j)) == TRACK_SETTING[j]) {
                j++;
            }
            if (j == TRACK_SETTING.length) {
                return true;
            }
        }
        return false;
    }

    /**
     * The session command changed the tracking settings: every connection that ran it sets them up again (before
     * the next request, on the same connection).
     * Connections that get it from the history later do the same when they reach its end.
     */
    void restoreAfter(Request r) {
        if (!r.changesTracking) {
            return;
        }
        for (Backend b : new ArrayList<>(owner.backends)) {
            if (r.targets.contains(b) && b.ready()) {
                setUp(b);
            }
        }
    }

    /** Every ready connection sets tracking up again (its session was reset: COM_CHANGE_USER). */
    void restoreAll() {
        for (Backend b : new ArrayList<>(owner.backends)) {
            if (b.ready()) {
                setUp(b);
            }
        }
    }
}
