package dev.sluice.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.query.QueryInfo;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClassificationCacheTest {
    private final StatementClassifier classifier = new StatementClassifier();

    private QueryInfo info(String sql) {
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        return classifier.classify(bytes, 0, bytes.length, false, false, 999999);
    }

    private static void put(ClassificationCache cache, String sql, int settings, QueryInfo info) {
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        cache.put(bytes, 0, bytes.length, ClassificationCache.hash(bytes, 0, bytes.length), settings, info);
    }

    private static QueryInfo get(ClassificationCache cache, String sql, int settings) {
        byte[] bytes = ("xx" + sql).getBytes(StandardCharsets.UTF_8);
        return cache.get(bytes, 2, bytes.length - 2, ClassificationCache.hash(bytes, 2, bytes.length - 2), settings);
    }

    @Test
    void repeatedStatementIsAHitAtAnyOffset() {
        ClassificationCache cache = new ClassificationCache(1 << 20);
        QueryInfo info = info("SELECT 1");
        put(cache, "SELECT 1", 0, info);
        assertThat(get(cache, "SELECT 1", 0)).isSameAs(info);
        assertThat(get(cache, "SELECT 2", 0)).isNull();
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void lexicalSettingsArePartOfTheKey() {
        ClassificationCache cache = new ClassificationCache(1 << 20);
        put(cache, "SELECT \"a\"", 1, info("SELECT \"a\""));
        assertThat(get(cache, "SELECT \"a\"", 0)).isNull();
        assertThat(get(cache, "SELECT \"a\"", 1)).isNotNull();
    }

    @Test
    void sizeStaysWithinTheByteBudgetByEvictingTheLeastRecentlyUsed() {
        long budget = 64 * 1024;
        ClassificationCache cache = new ClassificationCache(budget);
        put(cache, "SELECT * FROM keep", 0, info("SELECT * FROM keep"));
        for (int i = 0; i < 5000; i++) {
            String sql = "SELECT * FROM t WHERE id = " + i;
            put(cache, sql, 0, info(sql));
            assertThat(get(cache, "SELECT * FROM keep", 0)).isNotNull();
            assertThat(cache.bytes()).isLessThanOrEqualTo(budget);
        }
        assertThat(cache.evictions()).isGreaterThan(4000);
        assertThat(get(cache, "SELECT * FROM t WHERE id = 4999", 0)).isNotNull();
        assertThat(get(cache, "SELECT * FROM t WHERE id = 0", 0)).isNull();
    }

    @Test
    void statementsLargerThanAnEighthOfTheBudgetAreNotKept() {
        ClassificationCache cache = new ClassificationCache(8 * 1024);
        String big = "SELECT '" + "x".repeat(2000) + "'";
        put(cache, big, 0, info(big));
        assertThat(cache.size()).isZero();
    }
}
