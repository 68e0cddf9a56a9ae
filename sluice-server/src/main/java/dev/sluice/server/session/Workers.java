package dev.sluice.server.session;

import dev.sluice.server.net.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The routing workers: one {@link Worker} per event loop of the group. Immutable after construction. */
public final class Workers {
    private final EventLoopGroup group;
    private final Transport transport;
    private final List<Worker> workers;
    private final Map<EventExecutor, Worker> byLoop;
    private volatile WriteBufferWaterMark waterMark = WriteBufferWaterMark.DEFAULT;
    private volatile StatementHistory.Settings statements = StatementHistory.Settings.OFF;
    private volatile SessionTrace.Settings trace = SessionTrace.Settings.OFF;

    public Workers(EventLoopGroup group, Transport transport, long classifierCacheBytesTotal) {
        this.group = group;
        this.transport = transport;
        List<Worker> list = new ArrayList<>();
        Map<EventExecutor, Worker> map = new IdentityHashMap<>();
        int i = 0;
        int count = 0;
        for (EventExecutor ignored : group) {
            count++;
        }
        long perWorker = Math.max(1L << 20, classifierCacheBytesTotal / Math.max(1, count));
        for (EventExecutor e : group) {
            Worker w = new Worker(i++, (EventLoop) e, transport, perWorker, count);
            w.workers = this;
            list.add(w);
            map.put(e, w);
        }
        this.workers = List.copyOf(list);
        this.byLoop = map;
    }

    /** writeq_high_water / writeq_low_water: past the high mark a channel stops the other side's reads. */
    public void setWaterMark(long low, long high) {
        int hi = (int) Math.min(Integer.MAX_VALUE, Math.max(1, high));
        int lo = (int) Math.min(hi, Math.max(0, low));
        waterMark = new WriteBufferWaterMark(lo, hi);
    }

    /**
     * retain_last_statements / dump_last_statements ([maxscale]): what sessions started from now on keep.
     *
     * @param dump never, on_error or on_close
     */
    public void setStatementRetention(long retain, String dump) {
        statements = new StatementHistory.Settings(retain, StatementHistory.Dump.valueOf(dump.toUpperCase(
                java.util.Locale.ROOT)));
    }

    StatementHistory.Settings statementRetention() {
        return statements;
    }

    /** session_trace / session_trace_match ([maxscale]): what sessions started from now on trace. */
    public void setSessionTrace(long entries, String match) {
        trace = SessionTrace.Settings.of(entries, match);
        SessionTrace.capture(entries > 0);
    }

    SessionTrace.Settings sessionTrace() {
        return trace;
    }

    public WriteBufferWaterMark waterMark() {
        return waterMark;
    }

    public Worker of(EventLoop loop) {
        Worker w = byLoop.get(loop);
        if (w == null) {
            throw new IllegalStateException("event loop " + loop + " is not a routing worker");
        }
        return w;
    }

    public List<Worker> all() {
        return workers;
    }

    public EventLoopGroup group() {
        return group;
    }

    public Transport transport() {
        return transport;
    }
}
