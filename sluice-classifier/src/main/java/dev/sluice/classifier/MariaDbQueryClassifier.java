package dev.sluice.classifier;

import dev.sluice.api.query.Operation;
import dev.sluice.api.query.QueryClassifier;
import dev.sluice.api.query.QueryContext;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The {@link QueryClassifier} of Sluice: a {@link StatementClassifier} behind a {@link ClassificationCache}, plus
 * the session-dependent step (temporary tables) applied to every result, cached or not.
 *
 * <p>Thread rules: one instance per routing worker, created with {@link #forWorker(long)} when the worker starts
 * and used only on that worker's event loop; it keeps scratch buffers and a cache that take no locks. Classifying
 * from two threads at once corrupts results. The returned {@code QueryInfo} values are immutable.
 */
public final class MariaDbQueryClassifier implements QueryClassifier {
    /** Share of the maximum heap MaxScale-style sizing gives all classification caches together. */
    static final double DEFAULT_CACHE_SHARE = 0.15;

    private final StatementClassifier classifier = new StatementClassifier();
    /** Null when caching is off. */
    private final ClassificationCache cache;
    /** Copy of a direct ByteBuf's bytes; reused between calls on this worker. */
    private byte[] scratch = new byte[1024];

    private MariaDbQueryClassifier(long cacheBytes) {
        this.cache = cacheBytes > 0 ? new ClassificationCache(cacheBytes) : null;
    }

    /**
     * A classifier for one worker whose cache holds about {@code cacheBytes} of entries (0 turns caching off).
     *
     * @throws IllegalArgumentException if {@code cacheBytes} is negative
     */
    public static MariaDbQueryClassifier forWorker(long cacheBytes) {
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cacheBytes: " + cacheBytes + " (expected: >= 0)");
        }
        return new MariaDbQueryClassifier(cacheBytes);
    }

    /** The cache budget of each of {@code workers} workers when all caches share 15% of the maximum heap. */
    public static long defaultCacheBytesPerWorker(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers: " + workers + " (expected: >= 1)");
        }
        return (long) (Runtime.getRuntime().maxMemory() * DEFAULT_CACHE_SHARE) / workers;
    }

    @Override
    public QueryInfo classify(ByteBuf sql, QueryContext context) {
        int length = sql.readableBytes();
        if (sql.hasArray()) {
            return classify(sql.array(), sql.arrayOffset() + sql.readerIndex(), length, context);
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        sql.getBytes(sql.readerIndex(), scratch, 0, length);
        return classify(scratch, 0, length, context);
    }

    @Override
    public QueryInfo classify(String sql, QueryContext context) {
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        return classify(bytes, 0, bytes.length, context);
    }

    @Override
    public QueryInfo classify(byte[] sql, int offset, int length, QueryContext context) {
        QueryInfo info;
        if (cache == null) {
            info = uncached(sql, offset, length, context);
        } else {
            int settings = settings(context);
            int hash = ClassificationCache.hash(sql, offset, length);
            info = cache.get(sql, offset, length, hash, settings);
            if (info == null) {
                info = uncached(sql, offset, length, context);
                cache.put(sql, offset, length, hash, settings, info);
            }
        }
        Set<String> temporary = context.temporaryTables();
        return temporary.isEmpty() ? info : withTemporaryTables(info, temporary);
    }

    private QueryInfo uncached(byte[] sql, int offset, int length, QueryContext context) {
        return classifier.classify(sql, offset, length, context.ansiQuotes(), context.noBackslashEscapes(),
                context.serverVersion());
    }

    /** The lexical settings as one int for the cache key (the version fits in the low bits). */
    private static int settings(QueryContext context) {
        int flags = (context.ansiQuotes() ? 1 : 0) | (context.noBackslashEscapes() ? 2 : 0);
        return context.serverVersion() * 4 + flags;
    }

    /** Adds READ_TMP_TABLE (and DROP_TMP_TABLE for DROP TABLE) when the statement names a temporary table. */
    static QueryInfo withTemporaryTables(QueryInfo info, Set<String> temporary) {
        for (String table : info.tables()) {
            if (temporary.contains(table) || temporary.contains(unqualified(table))) {
                long extra = QueryType.READ_TMP_TABLE;
                if (info.operation() == Operation.DROP
                        && info.isAny(QueryType.IMPLICIT_COMMIT)) {
                    extra |= QueryType.DROP_TMP_TABLE;
                }
                return info.withTypes(extra);
            }
        }
        return info;
    }

    private static String unqualified(String table) {
        int dot = table.lastIndexOf('.');
        return dot < 0 ? table : table.substring(dot + 1);
    }

    /** One cached classification: its statement in canonical form, hits since it was cached, its size estimate. */
    public record CachedStatement(String canonical, long hits, QueryInfo info, long size) {
    }

    /** The {@code top} cached classifications with the most hits, most first; call on the owning worker. */
    public java.util.List<CachedStatement> cacheTop(int top) {
        return cache == null ? java.util.List.of() : cache.top(top);
    }

    /** Entries now in this worker's cache. */
    public int cachedStatements() {
        return cache == null ? 0 : cache.size();
    }

    /** Estimated bytes held by this worker's cache. */
    public long cachedBytes() {
        return cache == null ? 0 : cache.bytes();
    }

    public long cacheHits() {
        return cache == null ? 0 : cache.hits();
    }

    public long cacheMisses() {
        return cache == null ? 0 : cache.misses();
    }

    public long cacheEvictions() {
        return cache == null ? 0 : cache.evictions();
    }
}
