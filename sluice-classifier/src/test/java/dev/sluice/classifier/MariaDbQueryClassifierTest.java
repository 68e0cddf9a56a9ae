package dev.sluice.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.query.Operation;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MariaDbQueryClassifierTest {
    private final MariaDbQueryClassifier classifier = MariaDbQueryClassifier.forWorker(1 << 20);

    @Test
    void heapAndDirectBuffersClassifyAlikeAndAreLeftUntouched() {
        byte[] sql = "xxSELECT a FROM t".getBytes(StandardCharsets.UTF_8);
        ByteBuf heap = Unpooled.wrappedBuffer(sql).skipBytes(2);
        ByteBuf direct = Unpooled.directBuffer().writeBytes(sql).skipBytes(2);
        try {
            QueryInfo fromHeap = classifier.classify(heap, QueryContext.DEFAULT);
            QueryInfo fromDirect = classifier.classify(direct, QueryContext.DEFAULT);
            assertThat(fromHeap.tables()).containsExactly("t");
            assertThat(fromDirect).isEqualTo(fromHeap);
            assertThat(heap.readerIndex()).isEqualTo(2);
            assertThat(direct.readerIndex()).isEqualTo(2);
            assertThat(direct.refCnt()).isEqualTo(1);
        } finally {
            heap.release();
            direct.release();
        }
    }

    @Test
    void aRepeatedStatementIsServedFromTheCache() {
        QueryInfo first = classifier.classify("SELECT a FROM t WHERE id = 1", QueryContext.DEFAULT);
        QueryInfo second = classifier.classify("SELECT a FROM t WHERE id = 1", QueryContext.DEFAULT);
        assertThat(second).isSameAs(first);
        assertThat(classifier.cacheHits()).isEqualTo(1);
        assertThat(classifier.cachedStatements()).isEqualTo(1);
    }

    @Test
    void temporaryTablesAreAppliedAfterTheCacheForEachSession() {
        QueryContext withTemp = QueryContext.DEFAULT.withTemporaryTables(Set.of("tmp"));
        QueryInfo plain = classifier.classify("SELECT * FROM tmp", QueryContext.DEFAULT);
        QueryInfo temp = classifier.classify("SELECT * FROM tmp", withTemp);
        assertThat(plain.isAny(QueryType.READ_TMP_TABLE)).isFalse();
        assertThat(temp.is(QueryType.READ | QueryType.READ_TMP_TABLE)).isTrue();
    }

    @Test
    void sqlModeChangesTheClassificationAndTheCacheKey() {
        QueryInfo plain = classifier.classify("SELECT \"a\" FROM t", QueryContext.DEFAULT);
        QueryInfo ansi = classifier.classify("SELECT \"a\" FROM t", QueryContext.DEFAULT.withSqlMode(true, false));
        assertThat(plain.canonical()).isEqualTo("SELECT ? FROM t");
        assertThat(ansi.canonical()).isEqualTo("SELECT \"a\" FROM t");
    }

    @Test
    void preparedTextIsClassifiedToo() {
        QueryInfo info = classifier.classify("PREPARE s FROM 'UPDATE t SET a = ?'", QueryContext.DEFAULT);
        assertThat(info.operation()).isEqualTo(Operation.PREPARE);
        assertThat(info.preparedInfo()).hasValueSatisfying(p -> {
            assertThat(p.operation()).isEqualTo(Operation.UPDATE);
            assertThat(p.tables()).containsExactly("t");
        });
    }

    @Test
    void unknownStatementsCountAsWrites() {
        QueryInfo info = classifier.classify("FROBNICATE everything", QueryContext.DEFAULT);
        assertThat(info.is(QueryType.UNKNOWN)).isTrue();
        assertThat(info.isWrite()).isTrue();
    }

    @Test
    void negativeCacheBudgetIsRejected() {
        assertThatThrownBy(() -> MariaDbQueryClassifier.forWorker(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cacheBytes: -1 (expected: >= 0)");
    }

    @Test
    void queryTypeNamesRoundTrip() {
        long mask = QueryType.READ | QueryType.USERVAR_WRITE | QueryType.UNKNOWN;
        assertThat(QueryType.names(mask)).isEqualTo("READ|USERVAR_WRITE|UNKNOWN");
        assertThat(QueryType.parse("unknown|read|USERVAR_WRITE")).isEqualTo(mask);
        assertThat(QueryType.names(0)).isEqualTo("NONE");
    }
}
