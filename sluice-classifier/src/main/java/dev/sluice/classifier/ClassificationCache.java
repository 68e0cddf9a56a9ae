package dev.sluice.classifier;

import dev.sluice.api.query.QueryInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Remembers the classification of statements by their exact text, so that a repeated statement costs one hash
 * of its bytes and one comparison. Bounded by an estimate of the memory its entries hold; when full it evicts
 * the least recently used entries. The key also holds the lexical settings (sql_mode flags, server version) the
 * statement was classified under; session-dependent facts (temporary tables) are applied after the lookup, so a
 * cached value is valid for every session.
 *
 * <p>Thread rules: not thread-safe and not meant to be: one cache per routing worker, touched only on that
 * worker's event loop, so a lookup takes no lock and no atomic. The {@code QueryInfo} values are immutable and
 * may leave the worker.
 */
final class ClassificationCache {
    /** Bytes charged per entry on top of its key and value: the entry, list nodes, the QueryInfo and its lists. */
    static final int ENTRY_OVERHEAD = 256;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static final class Entry {
        final byte[] key;
        final int hash;
        final int settings;
        final QueryInfo info;
        final long cost;
        long hits;
        Entry chain;
        Entry newer;
        Entry older;

        Entry(byte[] key, int hash, int settings, QueryInfo info, long cost) {
            this.key = key;
            this.hash = hash;
            this.settings = settings;
            this.info = info;
            this.cost = cost;
        }
    }

    private final long maxBytes;
    private Entry[] buckets = new Entry[64];
    private int size;
    private long bytes;
    /** Sentinel of the recency list: {@code head.older} is the most recent entry, {@code head.newer} the eldest. */
    private final Entry head = new Entry(new byte[0], 0, 0, null, 0);

    private long hits;
    private long misses;
    private long evictions;

    ClassificationCache(long maxBytes) {
        this.maxBytes = maxBytes;
        head.newer = head;
        head.older = head;
    }

    /**
     * The hash used for keys, computed once per lookup and passed to {@link #put} on a miss. Reads eight bytes per
     * step: the hot path of a cached statement is mostly this loop.
     */
    static int hash(byte[] buf, int offset, int length) {
        long h = length * 0x9E3779B97F4A7C15L;
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(buf, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x165667B19E3779F9L;
        }
        for (; i < end; i++) {
            h = (h ^ buf[i]) * 0x100000001B3L;
        }
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    QueryInfo get(byte[] buf, int offset, int length, int hash, int settings) {
        for (Entry e = buckets[hash & (buckets.length - 1)]; e != null; e = e.chain) {
            if (e.hash == hash && e.settings == settings && e.key.length == length
                    && Arrays.equals(e.key, 0, length, buf, offset, offset + length)) {
                hits++;
                e.hits++;
                moveToFront(e);
                return e.info;
            }
        }
        misses++;
        return null;
    }

    /** Stores a classification; statements too large to be worth a slot are not stored. */
    void put(byte[] buf, int offset, int length, int hash, int settings, QueryInfo info) {
        long cost = cost(length, info);
        if (cost > maxBytes / 8) {
            return;
        }
        byte[] key = Arrays.copyOfRange(buf, offset, offset + length);
        Entry e = new Entry(key, hash, settings, info, cost);
        int slot = hash & (buckets.length - 1);
        e.chain = buckets[slot];
        buckets[slot] = e;
        linkFront(e);
        size++;
        bytes += cost;
        while (bytes > maxBytes && head.newer != head) {
            remove(head.newer);
            evictions++;
        }
        if (size > buckets.length) {
            rehash();
        }
    }

    private static long cost(int length, QueryInfo info) {
        long cost = ENTRY_OVERHEAD + length + 2L * info.canonical().length();
        for (String table : info.tables()) {
            cost += 48 + 2L * table.length();
        }
        for (String function : info.functions()) {
            cost += 48 + 2L * function.length();
        }
        return cost + 64L * info.hints().size();
    }

    private void moveToFront(Entry e) {
        if (head.older == e) {
            return;
        }
        unlink(e);
        linkFront(e);
    }

    private void linkFront(Entry e) {
        e.newer = head;
        e.older = head.older;
        head.older.newer = e;
        head.older = e;
    }

    private static void unlink(Entry e) {
        e.newer.older = e.older;
        e.older.newer = e.newer;
    }

    private void remove(Entry e) {
        unlink(e);
        int slot = e.hash & (buckets.length - 1);
        Entry previous = null;
        for (Entry c = buckets[slot]; c != null; previous = c, c = c.chain) {
            if (c == e) {
                if (previous == null) {
                    buckets[slot] = c.chain;
                } else {
                    previous.chain = c.chain;
                }
                break;
            }
        }
        size--;
        bytes -= e.cost;
    }

    private void rehash() {
        Entry[] old = buckets;
        buckets = new Entry[old.length * 2];
        for (Entry first : old) {
            Entry e = first;
            while (e != null) {
                Entry next = e.chain;
                int slot = e.hash & (buckets.length - 1);
                e.chain = buckets[slot];
                buckets[slot] = e;
                e = next;
            }
        }
    }

    int size() {
        return size;
    }

    /** The {@code top} entries with the most hits, most first (for the REST API's view of the cache). */
    java.util.List<MariaDbQueryClassifier.CachedStatement> top(int top) {
        java.util.List<Entry> all = new java.util.ArrayList<>(size);
        for (Entry e = head.older; e != head; e = e.older) {
            all.add(e);
        }
        all.sort((a, b) -> Long.compare(b.hits, a.hits));
        java.util.List<MariaDbQueryClassifier.CachedStatement> out = new java.util.ArrayList<>();
        for (Entry e : all.subList(0, Math.min(top, all.size()))) {
            out.add(new MariaDbQueryClassifier.CachedStatement(e.info.canonical(), e.hits, e.info, e.cost));
        }
        return out;
    }

    long bytes() {
        return bytes;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    long evictions() {
        return evictions;
    }
}
