package dev.sluice.server.session;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * {@code session_trace=N} and {@code session_trace_match}: the last N log messages of a session, at every level
 * (debug ones included, logged or not), kept in memory while the session works on its worker; shown by
 * {@code GET /v1/sessions/:id} ({@code log}) and logged as one warning when the session ends in an error, or, when
 * {@code session_trace_match} is set, whenever a kept message matches it (as MaxScale).
 *
 * <p>A message belongs to the session whose client request or backend reply the worker is handling: the session
 * marks itself current for that call ({@link #enter}), and a logback turbo filter, installed only while
 * session_trace is on, copies every message logged meanwhile into it. Confined to the session's worker.
 */
public final class SessionTrace {
    private static final ThreadLocal<SessionTrace> CURRENT = new ThreadLocal<>();
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(SessionTrace.class);
    private static final int MAX_TEXT = 2048;

    /** The global setting, replaced as a whole at runtime; read when a session starts. */
    public record Settings(long entries, Pattern match) {
        public static final Settings OFF = new Settings(0, null);

        /** From the parameter values; an empty match means none. */
        public static Settings of(long entries, String match) {
            return new Settings(entries, match.isEmpty() ? null : Pattern.compile(match));
        }
    }

    private final int capacity;
    private final Pattern match;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    private SessionTrace(int capacity, Pattern match) {
        this.capacity = capacity;
        this.match = match;
    }

    /** The trace a new session keeps, or null when session_trace is 0. */
    static SessionTrace create(Settings s) {
        return s.entries() <= 0 ? null : new SessionTrace((int) Math.min(s.entries(), 10_000), s.match());
    }

    /** Makes this trace the current thread's until {@link #exit}; returns the one it replaces. */
    SessionTrace enter() {
        SessionTrace previous = CURRENT.get();
        CURRENT.set(this);
        return previous;
    }

    static void exit(SessionTrace previous) {
        CURRENT.set(previous);
    }

    private void add(Level level, String logger, String text) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        String module = logger.substring(logger.lastIndexOf('.') + 1);
        String line = Instant.now() + " " + level.levelStr.toLowerCase(java.util.Locale.ROOT) + " (" + module + ") "
                + (text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text);
        lines.addLast(line);
    }

    List<String> snapshot() {
        return List.copyOf(lines);
    }

    /** Logs the trace when the session ended in an error, or when a kept message matches session_trace_match. */
    void sessionClosed(long sessionId, String reason, boolean error) {
        if (lines.isEmpty()) {
            return;
        }
        boolean matched = match != null && lines.stream().anyMatch(l -> match.matcher(l).find());
        if (!error && !matched) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append("\n  ").append(l);
        }
        log.warn("Session {} ended ({}); its trace:{}", sessionId, reason, sb);
    }

    /** Installs (or removes) the filter that copies messages into the current session's trace. */
    static void capture(boolean on) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        ctx.getTurboFilterList().removeIf(f -> f instanceof Capture);
        if (on) {
            Capture c = new Capture();
            c.setContext(ctx);
            c.start();
            ctx.addTurboFilter(c);
        }
    }

    private static final class Capture extends TurboFilter {
        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                                  Throwable t) {
            if (format != null) {
                SessionTrace trace = CURRENT.get();
                if (trace != null && !logger.getName().equals(SessionTrace.class.getName())) {
                    trace.add(level, logger.getName(), MessageFormatter.arrayFormat(format, params).getMessage());
                }
            }
            return FilterReply.NEUTRAL;
        }
    }
}
