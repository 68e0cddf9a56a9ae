package dev.sluice.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The log line formats: {@code text}, MaxScale's {@code 2024-05-01 12:00:00   notice : (Module) message}
 * (milliseconds with {@code ms_timestamp}, the logging method with {@code log_augmentation=1}); and {@code json},
 * one JSON object per line with {@code timestamp} (ISO-8601, UTC), {@code priority}, {@code module},
 * {@code thread}, {@code message} and, when there is one, {@code exception}. Immutable after construction.
 */
final class LogLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final boolean json;
    private final boolean millis;
    private final boolean augmentation;

    LogLayout(boolean json, boolean millis, boolean augmentation) {
        this.json = json;
        this.millis = millis;
        this.augmentation = augmentation;
    }

    /** MaxScale's name of a logback level. */
    static String priority(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "error";
            case Level.WARN_INT -> "warning";
            case Level.INFO_INT -> "notice";
            default -> "debug";
        };
    }

    @Override
    public String doLayout(ILoggingEvent e) {
        String module = e.getLoggerName().substring(e.getLoggerName().lastIndexOf('.') + 1);
        String message = e.getFormattedMessage();
        if (augmentation) {
            StackTraceElement[] caller = e.getCallerData();
            if (caller != null && caller.length > 0) {
                message = message + " (" + caller[0].getClassName().substring(caller[0].getClassName()
                        .lastIndexOf('.') + 1) + "." + caller[0].getMethodName() + ")";
            }
        }
        String exception = exception(e.getThrowableProxy());
        if (json) {
            StringBuilder sb = new StringBuilder(128);
            sb.append("{\"timestamp\":\"").append(Instant.ofEpochMilli(e.getTimeStamp()))
                    .append("\",\"priority\":\"").append(priority(e.getLevel()))
                    .append("\",\"module\":\"");
            quote(sb, module);
            sb.append("\",\"thread\":\"");
            quote(sb, e.getThreadName());
            sb.append("\",\"message\":\"");
            quote(sb, message);
            sb.append('"');
            if (exception != null) {
                sb.append(",\"exception\":\"");
                quote(sb, exception);
                sb.append('"');
            }
            return sb.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
        }
        String time = (millis ? MILLIS : SECONDS).format(Instant.ofEpochMilli(e.getTimeStamp()));
        String priority = priority(e.getLevel());
        StringBuilder sb = new StringBuilder(128).append(time).append("   ").append(priority)
                .append(" ".repeat(Math.max(0, 7 - priority.length()))).append(": (").append(module).append(") ")
                .append(message).append(CoreConstants.LINE_SEPARATOR);
        if (exception != null) {
            sb.append(exception).append(CoreConstants.LINE_SEPARATOR);
        }
        return sb.toString();
    }

    private static void quote(StringBuilder sb, String s) {
        JsonStringEncoder.getInstance().quoteAsString(s == null ? "" : s, sb);
    }

    private static String exception(IThrowableProxy t) {
        if (t == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(t.getClassName()).append(": ").append(t.getMessage());
        for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
            sb.append(CoreConstants.LINE_SEPARATOR).append("\t").append(frame.getSTEAsString());
        }
        return sb.toString();
    }
}
