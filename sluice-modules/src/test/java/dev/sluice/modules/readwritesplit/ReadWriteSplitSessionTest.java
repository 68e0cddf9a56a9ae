package dev.sluice.modules.readwritesplit;

import static dev.sluice.testkit.seam.TestPackets.closeStatement;
import static dev.sluice.testkit.seam.TestPackets.execute;
import static dev.sluice.testkit.seam.TestPackets.prepare;
import static dev.sluice.testkit.seam.TestPackets.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.server.StatusBit;
import dev.sluice.classifier.MariaDbQueryClassifier;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.seam.Answer;
import dev.sluice.testkit.seam.FakeEndpoint;
import dev.sluice.testkit.seam.FakeRouterSessionContext;
import dev.sluice.testkit.seam.TestServer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * readwritesplit's session driven through the seam's fakes, without a server: what reaches each server and what
 * the client sees.
 */
@ExtendWith(LeakCheck.class)
class ReadWriteSplitSessionTest {
    private final TestServer primary = TestServer.primary("db1");
    private final TestServer replica = TestServer.replica("db2");
    private FakeRouterSessionContext ctx;

    private FakeRouterSessionContext start(ParamValues params) {
        ctx = new FakeRouterSessionContext(List.of(primary, replica), MariaDbQueryClassifier.forWorker(1 << 20));
        ctx.start(new ReadWriteSplit(ReadWriteSplitConfig.from(params)));
        return ctx;
    }

    @BeforeEach
    void defaults() {
        start(ParamValues.empty());
    }

    private static List<String> texts(FakeEndpoint e) {
        return e.sent().stream().map(FakeEndpoint.Sent::text).toList();
    }

    @Test
    void readsGoToTheReplicaAndWritesToThePrimary() {
        assertThat(ctx.isReady()).isTrue();
        ctx.send(query("SELECT a FROM t"));
        ctx.send(query("INSERT INTO t VALUES (1)"));
        assertThat(texts(ctx.endpoint("db2"))).containsExactly("SELECT a FROM t");
        assertThat(texts(ctx.endpoint("db1"))).containsExactly("INSERT INTO t VALUES (1)");
        assertThat(ctx.clientSaw()).containsExactly("rows[db2]", "OK(1)".replace("(1)", ""));
    }

    @Test
    void aTransactionStaysOnThePrimaryUntilItEnds() {
        ctx.send(query("BEGIN"));
        ctx.send(query("SELECT a FROM t"));
        ctx.send(query("COMMIT"));
        ctx.send(query("SELECT a FROM t"));
        assertThat(texts(ctx.endpoint("db1"))).containsExactly("BEGIN", "SELECT a FROM t", "COMMIT");
        assertThat(texts(ctx.endpoint("db2"))).containsExactly("SELECT a FROM t");
        assertThat(ctx.clientSaw()).containsExactly("OK", "rows[db1]", "OK", "rows[db2]");
    }

    @Test
    void aSessionCommandGoesToEveryConnectionAndTheClientGetsOneReply() {
        ctx.send(query("SET @x = 1"));
        assertThat(texts(ctx.endpoint("db1"))).containsExactly("SET @x = 1");
        assertThat(texts(ctx.endpoint("db2"))).containsExactly("SET @x = 1");
        assertThat(ctx.clientSaw()).containsExactly("OK");
    }

    @Test
    void theClientGetsThePrimarysAnswerToASessionCommandEvenWhenTheReplicaAnswersFirst() {
        ctx.responder(null); // servers answer only when told
        ctx.send(query("SET @x = 1"));
        ctx.endpoint("db2").answer(Answer.ok());
        assertThat(ctx.clientSaw()).isEmpty();
        ctx.endpoint("db1").answer(Answer.ok());
        assertThat(ctx.clientSaw()).containsExactly("OK");
    }

    @Test
    void aReplicaThatFailsASessionCommandThePrimaryRanIsDropped() {
        ctx.responder(null);
        ctx.send(query("SET @x = 1"));
        FakeEndpoint replicaConnection = ctx.endpoint("db2");
        ctx.endpoint("db1").answer(Answer.ok());
        replicaConnection.answer(Answer.err(1064, "42000", "syntax"));
        assertThat(ctx.clientSaw()).containsExactly("OK");
        assertThat(replicaConnection.isOpen()).isFalse();
        // the session has no replica in step with it any more: reads go to the primary
        ctx.responder(FakeRouterSessionContext.DEFAULT_RESPONDER);
        ctx.send(query("SELECT a FROM t"));
        assertThat(ctx.endpoints("db2")).hasSize(1);
        assertThat(texts(ctx.endpoint("db1"))).containsExactly("SET @x = 1", "SELECT a FROM t");
        assertThat(ctx.lastReply()).isEqualTo("rows[db1]");
    }

    @Test
    void preparedStatementIdsAreMappedToEachServersOwn() {
        // the servers generate different ids for the same statement: the client sees one, each server gets its own
        ctx.send(query("SET @x = 1")); // both connections open
        ctx.endpoint("db1").statementIdsFrom(1);
        ctx.endpoint("db2").statementIdsFrom(101);
        ctx.send(prepare("SELECT a FROM t WHERE id = ?"));
        assertThat(ctx.lastReply()).isEqualTo("PREPARED(1)");
        assertThat(texts(ctx.endpoint("db1"))).contains("SELECT a FROM t WHERE id = ?");
        assertThat(texts(ctx.endpoint("db2"))).contains("SELECT a FROM t WHERE id = ?");
        ctx.send(execute(1));
        assertThat(ctx.endpoint("db2").sent()).last().extracting(FakeEndpoint.Sent::text)
                .isEqualTo("COM_STMT_EXECUTE(101)");
        assertThat(ctx.lastReply()).isEqualTo("rows[db2]");
        ctx.send(closeStatement(1));
        assertThat(texts(ctx.endpoint("db1"))).last().isEqualTo("COM_STMT_CLOSE(1)");
        assertThat(texts(ctx.endpoint("db2"))).last().isEqualTo("COM_STMT_CLOSE(101)");
    }

    @Test
    void aFailedReadIsRetriedOnThePrimaryWithoutTheClientNoticing() {
        ctx.responder(null);
        ctx.send(query("SELECT a FROM t"));
        ctx.endpoint("db2").fail("connection reset");
        // retry_failed_reads (default on): the primary answers in its place
        ctx.endpoint("db1").answer(Answer.rows("server", "db1"));
        assertThat(ctx.clientSaw()).containsExactly("rows[db1]");
        assertThat(ctx.isClosed()).isFalse();
    }

    @Test
    void losingThePrimaryDuringAWriteEndsWithAnErrorPacket() {
        ctx.responder(null);
        ctx.send(query("INSERT INTO t VALUES (1)"));
        primary.status(TestServer.with("db1").status().withBits(0));
        ctx.endpoint("db1").fail("connection reset");
        ctx.settle();
        assertThat(ctx.clientSaw()).hasSize(1);
        assertThat(ctx.clientSaw().get(0)).startsWith("ERR(");
    }

    @Test
    void masterAcceptReadsSendsReadsToThePrimaryWhenNoReplicaIsUsable() {
        replica.status(TestServer.with("db2", StatusBit.MAINTENANCE).status());
        start(ParamValues.empty());
        ctx.send(query("SELECT a FROM t"));
        assertThat(ctx.lastReply()).isEqualTo("rows[db1]");
    }
}
