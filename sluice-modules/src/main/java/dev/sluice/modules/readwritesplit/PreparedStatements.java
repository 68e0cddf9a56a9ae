package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.QueryInfo;
import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session's binary prepared statements: the id the client knows (the one the reply source gave), each
 * connection's own id for the same statement, the statement's classification, its parameter count, the
 * parameter types last sent by the client (replayed to a connection that has not seen them) and where it last
 * ran (for COM_STMT_FETCH). Confined to the session's worker.
 */
final class PreparedStatements {
    static final class Statement {
        final long clientId;
        final QueryInfo info;
        final int parameterCount;
        final Map<Backend, Long> backendIds = new IdentityHashMap<>();
        /** Connections that have received the parameter types (the "new params bound" flag). */
        final Map<Backend, Boolean> typesSent = new IdentityHashMap<>();
        byte[] parameterTypes;
        Backend lastExecuted;
        /** reuse_prepared_statements: the prepared SQL and the reply the client got (copies), else null. */
        String sql;
        List<ByteBuf> prepareReply;

        Statement(long clientId, QueryInfo info, int parameterCount) {
            this.clientId = clientId;
            this.info = info;
            this.parameterCount = parameterCount;
        }
    }

    private final Map<Long, Statement> byClientId = new HashMap<>();
    private final Map<String, Statement> bySql = new HashMap<>();

    Statement add(long clientId, QueryInfo info, int parameterCount) {
        Statement s = new Statement(clientId, info, parameterCount);
        byClientId.put(clientId, s);
        return s;
    }

    Statement get(long clientId) {
        return byClientId.get(clientId);
    }

    Statement remove(long clientId) {
        Statement s = byClientId.remove(clientId);
        if (s != null && s.sql != null) {
            bySql.remove(s.sql, s);
            release(s);
        }
        return s;
    }

    /** reuse_prepared_statements: {@code st} may answer later prepares of {@code sql} with {@code reply}. */
    void reusable(Statement st, String sql, List<ByteBuf> reply) {
        st.sql = sql;
        st.prepareReply = reply;
        Statement old = bySql.put(sql, st);
        if (old != null && old != st) {
            release(old);
            old.sql = null;
        }
    }

    /** The statement prepared from exactly this SQL that may be reused, or null. */
    Statement bySql(String sql) {
        return bySql.get(sql);
    }

    /** The server side forgot every statement (COM_RESET_CONNECTION, COM_CHANGE_USER), or the session ended. */
    void clear() {
        byClientId.clear();
        bySql.values().forEach(PreparedStatements::release);
        bySql.clear();
    }

    private static void release(Statement s) {
        if (s.prepareReply != null) {
            s.prepareReply.forEach(ByteBuf::release);
            s.prepareReply = null;
        }
    }

    /** A connection is gone: forget its ids. */
    void forget(Backend backend) {
        for (Statement s : byClientId.values()) {
            s.backendIds.remove(backend);
            s.typesSent.remove(backend);
            if (s.lastExecuted == backend) {
                s.lastExecuted = null;
            }
        }
    }
}
