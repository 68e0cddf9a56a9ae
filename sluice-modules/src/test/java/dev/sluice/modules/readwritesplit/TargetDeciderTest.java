package dev.sluice.modules.readwritesplit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.query.QueryClassifier;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.classifier.MariaDbQueryClassifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Routing decisions as a table: statements run before (each followed by an OK reply with the status flags the
 * server would send), the statement, the expected target. Uses the real classifier.
 */
class TargetDeciderTest {
    private static final QueryClassifier CLASSIFIER = MariaDbQueryClassifier.forWorker(1 << 20);
    private static final int IN_TRANS = 1;
    private static final int AUTOCOMMIT = 2;

    static RoutingDecision decide(String before, String sql, ReadWriteSplitConfig config) {
        TargetDecider decider = new TargetDecider(config);
        TransactionState trx = new TransactionState();
        Map<String, QueryInfo> prepared = new HashMap<>();
        QueryContext context = QueryContext.DEFAULT.withTemporaryTables(Set.of("tmp1"));
        if (!before.isBlank()) {
            for (String stmt : before.split(";")) {
                QueryInfo info = CLASSIFIER.classify(stmt, context);
                trx.beforeStatement(info);
                if (info.prepared() != null) {
                    prepared.put(info.preparedName(), info.prepared());
                }
                trx.afterReply(true, serverFlags(trx));
            }
        }
        QueryInfo info = CLASSIFIER.classify(sql, context);
        trx.beforeStatement(info);
        return decider.decide(info, trx, prepared::get);
    }

    /** What the server would report after the statements so far: from the predicted state. */
    private static int serverFlags(TransactionState trx) {
        boolean open = trx.open() && !trx.endsAfterReply();
        return (open ? IN_TRANS : 0) | (trx.autocommit() ? AUTOCOMMIT : 0);
    }

    @ParameterizedTest(name = "[{0}] {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            |SELECT * FROM t                                   |REPLICA
            |SELECT @@server_id                                 |REPLICA
            |SHOW TABLES                                        |REPLICA
            |INSERT INTO t VALUES (1)                           |PRIMARY
            |UPDATE t SET a = 1                                 |PRIMARY
            |DELETE FROM t                                      |PRIMARY
            |CREATE TABLE x (a INT)                             |PRIMARY
            |CALL p()                                           |PRIMARY
            |SELECT LAST_INSERT_ID()                            |PRIMARY
            |SELECT GET_LOCK('a', 1)                            |PRIMARY
            |SELECT * FROM t FOR UPDATE                         |PRIMARY
            |SELECT * FROM t LOCK IN SHARE MODE                 |PRIMARY
            |SELECT 1; SELECT 2                                 |PRIMARY
            |SELECT * FROM tmp1                                 |PRIMARY
            |SELECT FOUND_ROWS()                                |LAST_USED
            |SHOW WARNINGS                                      |LAST_USED
            |show errors limit 5                                |LAST_USED
            |SHOW COUNT(*) WARNINGS                             |LAST_USED
            |SHOW VARIABLES LIKE 'warnings%'                    |REPLICA
            |SET @x = 1                                         |ALL
            |SET NAMES utf8mb4                                  |ALL
            |SET autocommit = 0                                 |ALL
            |USE test                                           |ALL
            |PREPARE s FROM 'SELECT 1'                          |ALL
            |SELECT @x := 1                                     |ALL
            |SELECT @x                                          |REPLICA
            |BEGIN                                              |PRIMARY
            |START TRANSACTION                                  |PRIMARY
            |START TRANSACTION READ ONLY                        |REPLICA
            BEGIN                                               |SELECT * FROM t|PRIMARY
            BEGIN;SELECT 1                                      |COMMIT         |PRIMARY
            BEGIN;COMMIT                                        |SELECT * FROM t|REPLICA
            BEGIN;ROLLBACK                                      |SELECT * FROM t|REPLICA
            START TRANSACTION READ ONLY                         |SELECT * FROM t|REPLICA
            START TRANSACTION READ ONLY                         |COMMIT         |REPLICA
            START TRANSACTION READ ONLY;COMMIT                  |INSERT INTO t VALUES (1)|PRIMARY
            SET autocommit = 0                                  |SELECT * FROM t|PRIMARY
            SET autocommit = 0;COMMIT                           |SELECT * FROM t|PRIMARY
            SET autocommit = 0;SET autocommit = 1               |SELECT * FROM t|REPLICA
            BEGIN                                               |SET @y = 2     |ALL
            SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE|SELECT * FROM t|PRIMARY
            PREPARE s FROM 'SELECT * FROM t'                    |EXECUTE s      |REPLICA
            PREPARE s FROM 'DELETE FROM t'                      |EXECUTE s      |PRIMARY
            |/* maxscale route to master */ SELECT 1            |PRIMARY
            |SELECT 1 -- maxscale route to server db3           |NAMED_SERVER
            |/* maxscale route to slave */ SELECT 1             |REPLICA
            BEGIN                                               |/* maxscale route to slave */ SELECT 1|PRIMARY
            """)
    void routes(String before, String sql, RouteTarget expected) {
        RoutingDecision d = decide(before == null ? "" : before, sql, ReadWriteSplitConfig.DEFAULTS);
        assertThat(d.target()).as(d.reason()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "use_sql_variables_in=master: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT @x           |PRIMARY
            SELECT @x := 1      |PRIMARY
            SET @x = 1          |ALL
            SELECT * FROM t     |REPLICA
            """)
    void userVariablesInMaster(String sql, RouteTarget expected) {
        ReadWriteSplitConfig config = ReadWriteSplitConfig.from(ParamValues.empty()
                .with(ReadWriteSplitConfig.USE_SQL_VARIABLES_IN, "master"));
        assertThat(decide("", sql, config).target()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "reason of {0}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT LAST_INSERT_ID()     |function last_insert_id()
            SELECT * FROM tmp1          |temporary table
            SELECT 1; SELECT 2          |multi-statement
            SELECT * FROM t             |autocommit read
            """)
    void reasonsNameTheCause(String sql, String reasonPart) {
        assertThat(decide("", sql, ReadWriteSplitConfig.DEFAULTS).reason()).contains(reasonPart);
    }

    @ParameterizedTest(name = "strict_multi_stmt: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT * FROM t|PRIMARY
            """)
    void lockedSessionGoesToThePrimary(String sql, RouteTarget expected) {
        TransactionState trx = new TransactionState();
        trx.lockToPrimary("strict_multi_stmt after a multi-statement");
        QueryInfo info = CLASSIFIER.classify(sql, QueryContext.DEFAULT);
        trx.beforeStatement(info);
        RoutingDecision d = new TargetDecider(ReadWriteSplitConfig.DEFAULTS).decide(info, trx, n -> null);
        assertThat(d.target()).isEqualTo(expected);
        assertThat(d.reason()).contains("strict_multi_stmt");
    }
}
