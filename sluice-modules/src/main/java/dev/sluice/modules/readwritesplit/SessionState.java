package dev.sluice.modules.readwritesplit;

import java.util.function.Consumer;
import dev.sluice.api.query.QueryClassifier;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What earlier statements of the session left behind that later routing depends on: its temporary tables (reads
 * of them must go to the primary, so the classifier is told about them), its text prepared statements (an
 * {@code EXECUTE name} goes where its text would go), and the strict_multi_stmt / strict_sp_calls locks to the
 * primary. Confined to the session's worker.
 */
final class SessionState {
    private final ReadWriteSplitConfig config;
    private final TransactionState trx;
    private final Map<String, QueryInfo> textPrepared = new HashMap<>();
    private final Set<String> temporaryTables = new HashSet<>();
    private QueryContext queryContext = QueryContext.DEFAULT;
    /** Told of every new context: the core classifies the session's requests with it. */
    private final Consumer<QueryContext> contextChanged;

    SessionState(ReadWriteSplitConfig config, TransactionState trx, Consumer<QueryContext> contextChanged) {
        this.config = config;
        this.trx = trx;
        this.contextChanged = contextChanged;
    }

    private void temporaryTablesChanged() {
        queryContext = queryContext.withTemporaryTables(temporaryTables);
        contextChanged.accept(queryContext);
    }

    /** Classifies the statement text of a COM_QUERY / COM_STMT_PREPARE packet (not consumed). */
    QueryInfo classify(QueryClassifier classifier, ByteBuf packet) {
        int len = Packets.payloadLength(packet) - 1;
        if (len <= 0) {
            return classifier.classify(new byte[0], 0, 0, queryContext);
        }
        return classifier.classify(packet.slice(packet.readerIndex() + Packets.HEADER_SIZE + 1, len), queryContext);
    }

    /** The classification of a text prepared statement by name, or null. */
    QueryInfo textPrepared(String name) {
        return textPrepared.get(name);
    }

    /** Records what a statement routed now changes for the statements after it. */
    void track(QueryInfo info) {
        long t = info.types();
        if ((t & QueryType.CREATE_TMP_TABLE) != 0 && !info.tables().isEmpty()) {
            temporaryTables.add(info.tables().get(0));
            temporaryTablesChanged();
        } else if ((t & QueryType.DROP_TMP_TABLE) != 0) {
            info.tables().forEach(temporaryTables::remove);
            temporaryTablesChanged();
        }
        if ((t & QueryType.PREPARE_NAMED_STMT) != 0 && info.prepared() != null) {
            textPrepared.put(info.preparedName(), info.prepared());
        } else if ((t & QueryType.DEALLOC_PREPARE) != 0) {
            textPrepared.remove(info.preparedName());
        }
        if (config.strictMultiStmt() && info.multiStatement()) {
            trx.lockToPrimary("strict_multi_stmt after a multi-statement");
        }
        if (config.strictSpCalls() && (t & QueryType.CALL) != 0) {
            trx.lockToPrimary("strict_sp_calls after a CALL");
        }
    }

    /** The server side state is gone (COM_RESET_CONNECTION, COM_CHANGE_USER). */
    void clear() {
        textPrepared.clear();
        temporaryTables.clear();
        temporaryTablesChanged();
    }
}
