package dev.sluice.modules.readwritesplit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One server's load and counters as one readwritesplit service sees them, shared by the service's sessions on
 * every worker: atomics and LongAdders, written by whichever worker routes to the server.
 */
final class ServerStats {
    /** Requests sent and not yet answered (least_current_operations). */
    final AtomicInteger operations = new AtomicInteger();
    /** Connections of this service's sessions (least_router_connections). */
    final AtomicInteger connections = new AtomicInteger();
    /** Moving average of reply times in nanoseconds (adaptive_routing); racy updates are acceptable. */
    final AtomicLong averageNanos = new AtomicLong();
    final LongAdder total = new LongAdder();
    final LongAdder reads = new LongAdder();
    final LongAdder writes = new LongAdder();

    void replyTime(long nanos) {
        long avg = averageNanos.get();
        averageNanos.set(avg == 0 ? nanos : avg + (nanos - avg) / 8);
    }
}
