package dev.sluice.modules.readwritesplit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.query.QueryClassifier;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.classifier.MariaDbQueryClassifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Named and anonymous hint stacks over a sequence of statements, with the real classifier and decider. */
class HintStackTest {
    private static final QueryClassifier CLASSIFIER = MariaDbQueryClassifier.forWorker(1 << 20);

    /** The target of each statement, in order, through one session's hint stack. */
    private static List<String> targets(String... statements) {
        HintStack hints = new HintStack();
        TargetDecider decider = new TargetDecider(ReadWriteSplitConfig.DEFAULTS);
        List<String> out = new ArrayList<>();
        for (String sql : statements) {
            QueryInfo info = CLASSIFIER.classify(sql, QueryContext.DEFAULT);
            TransactionState trx = new TransactionState();
            trx.beforeStatement(info);
            RoutingDecision d = decider.decide(info, trx, n -> null, hints.inForce(info));
            out.add(d.target() == RouteTarget.NAMED_SERVER ? d.serverName() : d.target().name());
        }
        return out;
    }

    @Test
    void anAnonymousBeginStaysInForceUntilEnd() {
        assertThat(targets(
                "SELECT 1 -- maxscale begin route to master",
                "SELECT 2",
                "SELECT 3 -- maxscale end",
                "SELECT 4")).containsExactly("PRIMARY", "PRIMARY", "REPLICA", "REPLICA");
    }

    @Test
    void aPreparedNamedHintIsUsedOnlyOnceBegun() {
        assertThat(targets(
                "SELECT 1 -- maxscale pin prepare route to server db3",
                "SELECT 2 -- maxscale pin begin",
                "SELECT 3",
                "SELECT 4 -- maxscale end",
                "SELECT 5")).containsExactly("REPLICA", "db3", "db3", "REPLICA", "REPLICA");
    }

    @Test
    void stacksNestAndAStatementsOwnHintWins() {
        assertThat(targets(
                "SELECT 1 -- maxscale begin route to master",
                "SELECT 2 -- maxscale begin route to server db2",
                "SELECT 3 -- maxscale route to slave",
                "SELECT 4 -- maxscale end",
                "SELECT 5 -- maxscale end",
                "SELECT 6")).containsExactly("PRIMARY", "db2", "REPLICA", "PRIMARY", "REPLICA", "REPLICA");
    }

    @Test
    void aStackedHintOverridesTheRulesLikeAStatementHintDoes() {
        assertThat(targets("SELECT 1 -- maxscale begin route to slave", "INSERT INTO t VALUES (1)"))
                .containsExactly("REPLICA", "REPLICA");
    }

    /** The max_replication_lag hint of each statement, in order, through one session's hint stack. */
    private static List<Long> lags(String... statements) {
        HintStack hints = new HintStack();
        List<Long> out = new ArrayList<>();
        for (String sql : statements) {
            QueryInfo info = CLASSIFIER.classify(sql, QueryContext.DEFAULT);
            out.add(HintStack.maxReplicationLag(info, hints.inForce(info)));
        }
        return out;
    }

    @Test
    void maxReplicationLagHintsOfTheStatementAndOfTheStack() {
        assertThat(lags(
                "SELECT 1 -- maxscale max_replication_lag=5",
                "SELECT 2 /* maxscale max_slave_replication_lag = 7s */",
                "SELECT 3",
                "SELECT 4 -- maxscale lagged prepare max_replication_lag=2",
                "SELECT 5 -- maxscale lagged begin",
                "SELECT 6 -- maxscale max_replication_lag=9",
                "SELECT 7 -- maxscale end",
                "SELECT 8 -- maxscale max_replication_lag=soon",
                "SELECT 9 -- maxscale other_param=3"))
                .containsExactly(5L, 7L, -1L, -1L, 2L, 9L, -1L, -1L, -1L);
    }
}
