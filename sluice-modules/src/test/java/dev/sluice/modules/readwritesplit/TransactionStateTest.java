package dev.sluice.modules.readwritesplit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.query.QueryContext;
import dev.sluice.classifier.MariaDbQueryClassifier;
import org.junit.jupiter.api.Test;

class TransactionStateTest {
    private static final MariaDbQueryClassifier CLASSIFIER = MariaDbQueryClassifier.forWorker(1 << 16);

    private static TransactionState.Start run(TransactionState trx, String sql) {
        return trx.beforeStatement(CLASSIFIER.classify(sql, QueryContext.DEFAULT));
    }

    @Test
    void serverFlagsCorrectThePrediction() {
        TransactionState trx = new TransactionState();
        // a statement the classifier does not see as a transaction start, but the server opened one
        run(trx, "SELECT 1");
        trx.afterReply(true, 1 | 2);
        assertThat(trx.pinned()).isTrue();
        run(trx, "SELECT 2");
        trx.afterReply(true, 2);
        assertThat(trx.pinned()).isFalse();
        // autocommit turned off behind the classifier's back (e.g. inside a procedure)
        run(trx, "CALL p()");
        trx.afterReply(true, 0);
        assertThat(trx.autocommit()).isFalse();
        assertThat(trx.pinned()).isTrue();
    }

    @Test
    void transactionsAreCountedByKind() {
        TransactionState trx = new TransactionState();
        assertThat(run(trx, "START TRANSACTION READ ONLY")).isEqualTo(TransactionState.Start.READ_ONLY);
        trx.afterReply(true, 1 | 2);
        assertThat(trx.readOnlyTransaction()).isTrue();
        run(trx, "COMMIT");
        trx.afterReply(true, 2);
        assertThat(run(trx, "BEGIN")).isEqualTo(TransactionState.Start.READ_WRITE);
        trx.afterReply(false, 2);
        assertThat(trx.open()).as("a failed BEGIN opened nothing").isFalse();
        assertThat(run(trx, "SET TRANSACTION READ ONLY")).isEqualTo(TransactionState.Start.NONE);
        trx.afterReply(true, 2);
        assertThat(run(trx, "BEGIN")).isEqualTo(TransactionState.Start.READ_ONLY);
    }

    @Test
    void sessionTrackingCorrectsTransactionAutocommitAndIsolation() {
        TransactionState trx = new TransactionState();
        run(trx, "CALL p()");
        trx.afterReply(true, 2);
        trx.afterTracking(true, null, null); // "T_______": the procedure started a transaction
        assertThat(trx.open()).isTrue();
        assertThat(trx.readOnlyTransaction()).isFalse();
        trx.afterTracking(false, "OFF", null);
        assertThat(trx.open()).isFalse();
        assertThat(trx.autocommit()).isFalse();
        assertThat(trx.pinned()).isTrue();
        trx.afterTracking(null, "ON", "SERIALIZABLE");
        assertThat(trx.autocommit()).isTrue();
        assertThat(trx.lockReason()).isEqualTo("isolation level SERIALIZABLE");
        trx.afterTracking(null, null, "REPEATABLE-READ");
        assertThat(trx.lockReason()).isEmpty();
        // another lock reason is not the isolation level's to lift
        trx.lockToPrimary("strict_multi_stmt");
        trx.afterTracking(null, null, "READ-COMMITTED");
        assertThat(trx.lockReason()).isEqualTo("strict_multi_stmt");
    }
}
