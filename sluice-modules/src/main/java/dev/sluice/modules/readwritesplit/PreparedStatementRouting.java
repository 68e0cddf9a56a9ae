package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ServerStatusFlag;
import dev.sluice.protocol.message.server.OkPacket;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Binary prepared statements of one session: routes COM_STMT_EXECUTE by the prepared text (a read to a replica
 * outside transactions), rewrites statement ids per connection, re-sends parameter types a connection has not
 * seen, and takes CLOSE / SEND_LONG_DATA / RESET / FETCH to the connections that have the statement. The
 * statements themselves are in {@link PreparedStatements}. Confined to the session's worker.
 */
final class PreparedStatementRouting {
    private static final int ER_UNKNOWN_STMT_HANDLER = 1243;
    private final ReadWriteSplitSession owner;
    private final PreparedStatements statements;
    /** The client id of the statement prepared last (for id 0xFFFFFFFF); confined to the session's worker. */
    private long lastPreparedId = -1;
    /** reuse_prepared_statements: the text of each successful text PREPARE, by statement name. */
    private final Map<String, String> textPrepares = new HashMap<>();
    /** reuse_prepared_statements: names the client deallocated that the servers still have (for reuse). */
    private final Set<String> textDeallocated = new HashSet<>();

    PreparedStatementRouting(ReadWriteSplitSession owner, PreparedStatements statements) {
        this.owner = owner;
        this.statements = statements;
    }

    /** A COM_STMT_PREPARE succeeded on the reply source: the client knows the statement by the source's id. */
    void prepared(Request r, Backend src) {
        PreparedStatements.Statement st = statements.add(src.preparedId, r.info, src.preparedParams);
        lastPreparedId = src.preparedId;
        if (r.prepareSql != null && r.prepareReply != null) {
            statements.reusable(st, r.prepareSql, r.prepareReply);
            r.prepareReply = null;
        }
        for (Backend t : r.targets) {
            if (t.state != Backend.State.CLOSED && !t.replyFailed) {
                st.backendIds.put(t, t.preparedId);
            }
        }
    }

    /**
     * reuse_prepared_statements: a COM_STMT_PREPARE of SQL the session prepared before is answered here with that
     * statement (its id and the reply the client got then); nothing goes to the servers. Returns false when the
     * SQL is new (it is remembered in the request, so that its reply is kept). Takes {@code packet} when true.
     */
    boolean reuse(Request r, ByteBuf packet) {
        int payload = packet.readerIndex() + Packets.HEADER_SIZE;
        String sql = packet.toString(payload + 1, Packets.payloadLength(packet) - 1, StandardCharsets.UTF_8);
        PreparedStatements.Statement st = statements.bySql(sql);
        if (st == null || st.prepareReply == null) {
            r.prepareSql = sql;
            r.prepareReply = new ArrayList<>(4);
            return false;
        }
        packet.release();
        owner.router.reusedPrepares.increment();
        lastPreparedId = st.clientId;
        for (ByteBuf p : st.prepareReply) {
            owner.session.writeToClient(p.retainedDuplicate());
        }
        owner.session.replyWritten();
        owner.current = null;
        owner.continuationTargets = List.of();
        return true;
    }

    /**
     * reuse_prepared_statements for text prepared statements: a {@code PREPARE name FROM ...} identical, byte for
     * byte, to the one that prepared {@code name} last (and successfully) is answered here with an OK; the servers
     * keep the statement they have. As COM_STMT_CLOSE for binary statements, a {@code DEALLOCATE PREPARE} (or
     * {@code DROP PREPARE}) of such a statement is answered here and the servers keep it, but the name is gone for
     * the client: {@code EXECUTE} or {@code DEALLOCATE} of it get the server's error 1243 until it is prepared
     * again (then reused). Other PREPAREs and DEALLOCATEs are noted, and go to the servers. Takes {@code packet}
     * when true.
     */
    boolean reuseText(Request r, ByteBuf packet, QueryInfo info) {
        long t = info.types();
        if (!owner.config.reusePreparedStatements()
                || (t & (QueryType.PREPARE_NAMED_STMT | QueryType.DEALLOC_PREPARE | QueryType.EXEC_STMT)) == 0) {
            return false;
        }
        String name = info.preparedName().toLowerCase(Locale.ROOT); // names are case-insensitive
        if ((t & (QueryType.DEALLOC_PREPARE | QueryType.EXEC_STMT)) != 0) {
            if (textDeallocated.contains(name) && info.prepared() == null) {
                unknownStatement(packet, name, (t & QueryType.EXEC_STMT) != 0 ? "EXECUTE" : "DEALLOCATE PREPARE");
                return true;
            }
            if ((t & QueryType.DEALLOC_PREPARE) == 0) {
                return false;
            }
            Backend b = answering();
            if (!textPrepares.containsKey(name) || b == null) {
                textPrepares.remove(name);
                return false;
            }
            textDeallocated.add(name);
            answerOk(packet, b);
            return true;
        }
        if (info.prepared() == null) {
            textPrepares.remove(name);
            textDeallocated.remove(name);
            return false;
        }
        int payload = packet.readerIndex() + Packets.HEADER_SIZE;
        String sql = packet.toString(payload + 1, Packets.payloadLength(packet) - 1, StandardCharsets.UTF_8);
        Backend b = answering();
        textDeallocated.remove(name);
        if (!sql.equals(textPrepares.remove(name)) || b == null) {
            r.textPrepare = name;
            r.textPrepareSql = sql;
            return false;
        }
        textPrepares.put(name, sql);
        owner.router.reusedPrepares.increment();
        answerOk(packet, b);
        return true;
    }

    /** The connection whose status flags an OK written by Sluice carries: the primary's, else any ready one's. */
    private Backend answering() {
        return owner.primary != null && owner.primary.ready() ? owner.primary : owner.firstReady();
    }

    /** Answers the request with an OK of Sluice's own; takes {@code packet}. */
    private void answerOk(ByteBuf packet, Backend b) {
        int status = b.endpoint.statusFlags() & ~(ServerStatusFlag.SESSION_STATE_CHANGED
                | ServerStatusFlag.MORE_RESULTS_EXISTS);
        owner.session.writeToClient(new OkPacket(0, 0, status, 0).encode(packet.alloc(),
                (Packets.sequence(packet) + 1) & 0xff));
        packet.release();
        owner.session.replyWritten();
        owner.current = null;
        owner.continuationTargets = List.of();
    }

    /** The name was deallocated by the client (the servers keep it): the error the server would give. */
    private void unknownStatement(ByteBuf packet, String name, String given) {
        packet.release();
        owner.current = null;
        owner.continuationTargets = List.of();
        owner.session.replyError(ER_UNKNOWN_STMT_HANDLER, "HY000",
                "Unknown prepared statement handler (" + name + ") given to " + given);
    }

    /** A text PREPARE is over: a successful one may be reused. */
    void textPrepareDone(Request r, boolean ok) {
        if (r.textPrepare != null && ok) {
            textPrepares.put(r.textPrepare, r.textPrepareSql);
        }
    }

    /** COM_RESET_CONNECTION / COM_CHANGE_USER: the servers forgot the text prepared statements. */
    void forgetText() {
        textPrepares.clear();
        textDeallocated.clear();
    }

    /** A packet of the reply to a COM_STMT_PREPARE going to the client: kept for reuse_prepared_statements. */
    static void keep(Request r, ByteBuf packet) {
        if (r.prepareReply != null) {
            r.prepareReply.add(packet.copy());
        }
    }

    /** COM_STMT_EXECUTE / COM_STMT_BULK_EXECUTE; takes ownership of {@code packet}. */
    void execute(Request r, ByteBuf packet) {
        PreparedStatements.Statement st = statement(packet);
        if (st == null) {
            packet.release();
            owner.current = null;
            owner.session.replyError(1243, "HY000", "Unknown prepared statement handler given to mysqld_stmt_execute");
            return;
        }
        r.statement = st;
        r.info = st.info;
        byte[] types = StatementPackets.boundTypes(packet, st.parameterCount);
        if (types != null) {
            st.parameterTypes = types;
            st.typesSent.clear();
        }
        owner.trx.beforeStatement(st.info);
        RoutingDecision d = owner.router.decider().decide(st.info, owner.trx, owner.state::textPrepared);
        if (r.command == Command.COM_STMT_BULK_EXECUTE || d.target() == RouteTarget.ALL) {
            d = RoutingDecision.of(RouteTarget.PRIMARY, r.command == Command.COM_STMT_BULK_EXECUTE
                    ? "bulk execution" : "execution of a prepared session command");
        }
        r.decision = d;
        r.maxLagSeconds = HintStack.maxReplicationLag(st.info, null); // the hint of the prepared SQL
        if (d.isRead() && owner.config.retryFailedReads()) {
            r.retry = packet.copy();
        }
        owner.causal.dispatchRead(r, packet);
    }

    /**
     * The statement a COM_STMT_* packet names. Id 0xFFFFFFFF means the statement prepared last: MariaDB
     * Connector/J sends it when it pipelines a COM_STMT_EXECUTE right behind its COM_STMT_PREPARE.
     */
    private PreparedStatements.Statement statement(ByteBuf packet) {
        long id = StatementPackets.statementId(packet);
        return statements.get(id == 0xFFFFFFFFL ? lastPreparedId : id);
    }

    /** The packet with the connection's statement id, and the parameter types if that connection lacks them. */
    static ByteBuf forBackend(PreparedStatements.Statement st, Backend b, ByteBuf packet) {
        Long id = st.backendIds.get(b);
        if (id != null) {
            packet.setIntLE(packet.readerIndex() + Packets.HEADER_SIZE + 1, id.intValue());
        }
        if (packet.getUnsignedByte(packet.readerIndex() + Packets.HEADER_SIZE) != Command.COM_STMT_EXECUTE) {
            return packet;
        }
        if (StatementPackets.boundTypes(packet, st.parameterCount) != null) {
            st.typesSent.put(b, Boolean.TRUE);
            return packet;
        }
        if (st.parameterTypes != null && st.typesSent.put(b, Boolean.TRUE) == null) {
            return StatementPackets.withTypes(packet, st.parameterCount, st.parameterTypes);
        }
        return packet;
    }

    /** COM_STMT_CLOSE: to every connection that has the statement, no reply. Takes ownership of {@code packet}. */
    void close(ByteBuf packet) {
        if (owner.config.reusePreparedStatements()) {
            // the statement stays for the next prepare of the same SQL (MaxScale: closes become no-ops)
            packet.release();
            owner.current = null;
            owner.continuationTargets = List.of();
            return;
        }
        PreparedStatements.Statement found = statement(packet);
        long clientId = found == null ? -1 : found.clientId;
        PreparedStatements.Statement st = found == null ? null : statements.remove(clientId);
        if (st != null) {
            owner.history.removePrepare(clientId);
            st.backendIds.forEach((b, id) -> {
                if (b.ready()) {
                    b.endpoint.write(StatementPackets.copyWithId(packet, id), Command.COM_STMT_CLOSE);
                }
            });
        }
        packet.release();
        owner.current = null;
        owner.continuationTargets = List.of();
    }

    /** COM_STMT_SEND_LONG_DATA: like CLOSE, no reply. Takes ownership of {@code packet}. */
    void sendLongData(ByteBuf packet) {
        PreparedStatements.Statement st = statement(packet);
        if (st != null) {
            st.backendIds.forEach((b, id) -> {
                if (b.ready()) {
                    b.endpoint.write(StatementPackets.copyWithId(packet, id), Command.COM_STMT_SEND_LONG_DATA);
                }
            });
        }
        packet.release();
        owner.current = null;
        owner.continuationTargets = List.of(); // a 16 MiB+ long data chunk is not supported
    }

    /** COM_STMT_RESET: to every connection that has the statement, one reply. Takes ownership of {@code packet}. */
    void reset(Request r, ByteBuf packet) {
        PreparedStatements.Statement st = statement(packet);
        r.decision = RoutingDecision.of(RouteTarget.ALL, "statement reset");
        if (st == null) {
            packet.release();
            owner.current = null;
            owner.session.replyError(1243, "HY000", "Unknown prepared statement handler given to mysqld_stmt_reset");
            return;
        }
        List<Backend> targets = new ArrayList<>(2);
        st.backendIds.forEach((b, id) -> {
            if (b.ready()) {
                targets.add(b);
            }
        });
        if (targets.isEmpty()) {
            owner.noTarget(r, packet);
            return;
        }
        r.source = targets.contains(owner.primary) ? owner.primary : targets.get(0);
        r.targets.addAll(targets);
        for (Backend b : targets) {
            owner.write(r, b, StatementPackets.copyWithId(packet, st.backendIds.get(b)));
        }
        packet.release();
    }

    /** COM_STMT_FETCH: to where the statement last ran. Takes ownership of {@code packet}. */
    void fetch(Request r, ByteBuf packet) {
        PreparedStatements.Statement st = statement(packet);
        if (st == null || st.lastExecuted == null || !st.lastExecuted.ready()) {
            packet.release();
            owner.current = null;
            owner.session.replyError(1243, "HY000", "Unknown prepared statement handler given to mysqld_stmt_fetch");
            return;
        }
        r.decision = RoutingDecision.of(st.lastExecuted.primary ? RouteTarget.PRIMARY : RouteTarget.REPLICA,
                "fetch follows its execution");
        r.statement = st;
        owner.send(r, st.lastExecuted, packet);
    }
}
