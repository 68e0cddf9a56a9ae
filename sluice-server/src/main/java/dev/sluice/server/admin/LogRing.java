package dev.sluice.server.admin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The most recent log lines in memory, for {@code /v1/maxscale/logs/entries}: a logback appender on the root
 * logger that keeps the last {@link #CAPACITY} events. Any thread may log; appends and reads lock the ring
 * (logback already serialises appends per appender, and the admin thread reads rarely). Each entry gets an
 * increasing id, so a reader can page with {@code page[cursor]}.
 */
final class LogRing extends AppenderBase<ILoggingEvent> {
    static final int CAPACITY = 1000;

    /** One log line as the API shows it. */
    record Entry(long id, long timestampMillis, String level, String logger, String thread, String message) {
    }

    private final Entry[] ring = new Entry[CAPACITY]; // guarded by this
    private long next; // guarded by this: id of the next entry

    /** Attaches a new ring to logback's root logger; null when logback is not the slf4j backend. */
    static LogRing attach() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return null;
        }
        LogRing ring = new LogRing();
        ring.setContext(ctx);
        ring.setName("sluice-admin-ring");
        ring.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(ring);
        return ring;
    }

    void detach() {
        if (getContext() instanceof LoggerContext ctx) {
            ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
        }
        stop();
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        String message = e.getFormattedMessage();
        if (e.getThrowableProxy() != null) {
            message = message + ": " + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage();
        }
        ring[(int) (next % CAPACITY)] = new Entry(next, e.getTimeStamp(), e.getLevel().toString(), e.getLoggerName(),
                e.getThreadName(), message);
        next++;
    }

    /**
     * Up to {@code limit} entries with an id below {@code before} (all when negative), newest last, optionally
     * only those at {@code minLevel} or more severe.
     */
    synchronized List<Entry> entries(long before, int limit, ch.qos.logback.classic.Level minLevel) {
        long end = before < 0 ? next : Math.min(before, next);
        long start = Math.max(0, next - CAPACITY);
        List<Entry> out = new ArrayList<>();
        for (long id = end - 1; id >= start && out.size() < limit; id--) {
            Entry e = ring[(int) (id % CAPACITY)];
            if (minLevel == null || ch.qos.logback.classic.Level.toLevel(e.level()).isGreaterOrEqual(minLevel)) {
                out.add(e);
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    synchronized long size() {
        return Math.min(next, CAPACITY);
    }
}
