package dev.sluice.server.core;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A server's request statistics as MaxScale shows them: operations in flight ({@code active_operations}) and
 * the response-time distribution of reads and writes in power-of-ten buckets from 1 µs to 100000 s, plus its
 * connection-pool figures.
 *
 * <p>The request figures are kept per routing worker in a {@link Slot} that only that worker writes, with
 * plain read-modify-write and an opaque store: no lock, no CAS, no shared cache line on the reply path.
 * Readers (the admin API, /metrics) add the slots up; a sum is not an atomic snapshot of all workers, which
 * statistics do not need. Slots are created when a worker first connects to the server (not per request).
 * The pool figures change once per session, not per request, and are plain atomics.
 */
public final class ServerStatistics {
    /** Buckets 1 µs, 10 µs, … 100000 s: bucket {@code i} counts responses above the previous limit up to its own. */
    public static final int BUCKETS = 12;
    private static final int ACTIVE = 0;
    private static final int READ = 1;
    private static final int WRITE = 1 + 2 * BUCKETS;
    private static final int SIZE = 1 + 4 * BUCKETS;

    /** Indexed by worker; grown (copied) under this object's lock when a worker first asks. */
    private volatile Slot[] slots = new Slot[0];

    /** Pooled (idle) connections now; written by the workers' pools. */
    public final AtomicInteger pooledConnections = new AtomicInteger();
    /** The most connections that were pooled at once. */
    public final AtomicInteger maxPoolSize = new AtomicInteger();
    /** Times a session wanted a pooled connection and found none. */
    public final LongAdder connectionPoolEmpty = new LongAdder();

    /** The slot of one worker, created on its first call. Not for the hot path: keep the answer. */
    public Slot slot(int worker) {
        Slot[] s = slots;
        if (worker < s.length && s[worker] != null) {
            return s[worker];
        }
        return create(worker);
    }

    private synchronized Slot create(int worker) {
        Slot[] s = slots;
        if (worker >= s.length) {
            s = Arrays.copyOf(s, worker + 1);
        } else if (s[worker] != null) {
            return s[worker];
        } else {
            s = s.clone();
        }
        Slot fresh = new Slot();
        s[worker] = fresh;
        slots = s;
        return fresh;
    }

    public void pooled() {
        int now = pooledConnections.incrementAndGet();
        maxPoolSize.accumulateAndGet(now, Math::max);
    }

    public void unpooled() {
        pooledConnections.decrementAndGet();
    }

    /** Requests written to the server whose reply is not complete yet. */
    public long activeOperations() {
        return sum(ACTIVE);
    }

    /** Responses per bucket ({@code read}: result sets; otherwise OK/ERR replies). */
    public long[] counts(boolean read) {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = sum((read ? READ : WRITE) + i);
        }
        return out;
    }

    /** Total response time per bucket, in nanoseconds. */
    public long[] totalNanos(boolean read) {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = sum((read ? READ : WRITE) + BUCKETS + i);
        }
        return out;
    }

    /** The upper limit of bucket {@code i} in seconds, as MaxScale prints it ("0.000001" … "100000.000000"). */
    public static String bucketLimit(int i) {
        return new java.math.BigDecimal(java.math.BigInteger.ONE, 6 - i).setScale(6).toPlainString();
    }

    static int bucket(long nanos) {
        long limit = 1_000;
        for (int i = 0; i < BUCKETS - 1; i++) {
            if (nanos <= limit) {
                return i;
            }
            limit *= 10;
        }
        return BUCKETS - 1;
    }

    private long sum(int index) {
        long total = 0;
        for (Slot s : slots) {
            if (s != null) {
                total += s.values.getOpaque(index);
            }
        }
        return total;
    }

    /** One worker's figures. Written only by that worker's event loop; read by any thread. */
    public static final class Slot {
        private final AtomicLongArray values = new AtomicLongArray(SIZE);

        public void operationStarted() {
            add(ACTIVE, 1);
        }

        /** The reply to an operation is complete after {@code nanos}; a result set counts as a read. */
        public void operationEnded(long nanos, boolean read) {
            add(ACTIVE, -1);
            int b = bucket(nanos);
            int base = read ? READ : WRITE;
            add(base + b, 1);
            add(base + BUCKETS + b, nanos);
        }

        /** The connection closed with an operation in flight: it ends without a response time. */
        public void operationAbandoned() {
            add(ACTIVE, -1);
        }

        private void add(int index, long delta) {
            values.setOpaque(index, values.getPlain(index) + delta); // single writer
        }
    }
}
