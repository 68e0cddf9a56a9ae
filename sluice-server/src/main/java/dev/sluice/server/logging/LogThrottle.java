package dev.sluice.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Marker;

/**
 * {@code log_throttling=X, Y, Z}: an error or warning logged (from the same place: logger, level and message
 * template) more than X times within Y is suppressed for Z, as MaxScale does; the first suppressed one is replaced
 * by a note saying so. Notices, info and debug messages are never throttled. {@code 0} (or X = 0) disables it.
 *
 * <p>Called on whichever thread logs: the per-message state lives in a concurrent map, each entry updated under its
 * own monitor (warnings and errors are rare on the data path; nothing is done for other levels).
 */
final class LogThrottle extends TurboFilter {
    /** The parsed rule. */
    record Rule(long count, long windowMillis, long suppressMillis) {
        static final Rule OFF = new Rule(0, 0, 0);

        /** "X, Y, Z" as GlobalParams checked it, or "0". */
        static Rule parse(String text) {
            String[] parts = text.split(",");
            if (parts.length != 3) {
                return OFF;
            }
            return new Rule(Long.parseLong(parts[0].strip()), millis(parts[1]), millis(parts[2]));
        }

        private static long millis(String d) {
            String v = d.strip().toLowerCase(java.util.Locale.ROOT);
            int i = 0;
            while (i < v.length() && Character.isDigit(v.charAt(i))) {
                i++;
            }
            long n = Long.parseLong(v.substring(0, i));
            return switch (v.substring(i).strip()) {
                case "ms" -> n;
                case "h" -> Duration.ofHours(n).toMillis();
                case "m", "min" -> Duration.ofMinutes(n).toMillis();
                default -> Duration.ofSeconds(n).toMillis();
            };
        }
    }

    private static final class State {
        long windowStart;
        long count;
        long suppressedUntil;
        boolean noted;
    }

    private final Rule rule;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

    LogThrottle(Rule rule, LongSupplier clockMillis) {
        this.rule = rule;
        this.clock = clockMillis;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (rule.count() <= 0 || level == null || level.toInt() < Level.WARN_INT || format == null
                || logger.getName().equals(LogThrottle.class.getName())) {
            return FilterReply.NEUTRAL;
        }
        State s = states.computeIfAbsent(logger.getName() + '\u0000' + level + '\u0000' + format, k -> new State());
        boolean note;
        synchronized (s) {
            long now = clock.getAsLong();
            if (now < s.suppressedUntil) {
                note = !s.noted;
                s.noted = true;
            } else {
                if (now - s.windowStart > rule.windowMillis()) {
                    s.windowStart = now;
                    s.count = 0;
                }
                if (++s.count <= rule.count()) {
                    return FilterReply.NEUTRAL;
                }
                s.suppressedUntil = now + rule.suppressMillis();
                s.count = 0;
                s.windowStart = s.suppressedUntil;
                s.noted = true;
                note = true;
            }
        }
        if (note) {
            logger.getLoggerContext().getLogger(LogThrottle.class).warn("The following message was logged more "
                    + "than {} times within {} ms and is suppressed for {} ms (log_throttling): {}", rule.count(),
                    rule.windowMillis(), rule.suppressMillis(), format);
        }
        return FilterReply.DENY;
    }
}
