package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.QueryInfo;
import java.util.HashMap;
import java.util.IdentityHashMap;
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

        Statement(long clientId, QueryInfo info, int parameterCount) {
            this.clientId = clientId;
            this.info = info;
            this.parameterCount = parameterCount;
        }
    }

    private final Map<Long, Statement> byClientId = new HashMap<>();

    Statement add(long clientId, QueryInfo info, int parameterCount) {
        Statement s = new Statement(clientId, info, parameterCount);
        byClientId.put(clientId, s);
        return s;
    }

    Statement get(long clientId) {
        return byClientId.get(clientId);
    }

    Statement remove(long clientId) {
        return byClientId.remove(clientId);
    }

    /** The server side forgot every statement (COM_RESET_CONNECTION, COM_CHANGE_USER). */
    void clear() {
        byClientId.clear();
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
