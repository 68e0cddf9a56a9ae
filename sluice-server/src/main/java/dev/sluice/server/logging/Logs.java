package dev.sluice.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.sluice.api.config.ParamValues;
import dev.sluice.server.config.GlobalParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * The process's log outputs, set from the {@code [maxscale]} logging parameters and changed at runtime: the log
 * file {@code <logdir>/sluice.log} ({@code maxlog}, written only when {@code logdir} is set), standard output
 * (when {@link #configure} was asked for it: {@code bin/sluice} runs in the foreground), syslog ({@code syslog}),
 * the line format ({@code log_format}, {@code ms_timestamp}, {@code log_augmentation}), the levels
 * ({@code log_warning} … {@code log_debug}) and {@code log_throttling}.
 *
 * <p>Logback is one per process, so this is too: the methods are synchronized (they run at startup, on admin
 * requests and on SIGUSR1, never on the data path). {@link #rotate} reopens the log file under its name, so
 * logrotate's rename-then-signal works; a line being written while it happens goes wholly to the old file or
 * wholly to the new one (logback's stream lock).
 */
public final class Logs {
    /** The log file's name in logdir. */
    public static final String FILE_NAME = "sluice.log";
    /** Where syslog datagrams go: {@code host:port}, default the local syslog daemon's UDP port. */
    public static final String SYSLOG_ADDRESS_PROPERTY = "sluice.syslog.address";

    private static final String FILE = "sluice-file";
    private static final String SYSLOG = "sluice-syslog";
    private static final String CONSOLE = "sluice-console";

    private static boolean console;
    private static ParamValues current;
    private static boolean logdirSet;
    private static long rotations;

    private Logs() {
    }

    /**
     * Takes over logging for {@code bin/sluice}: the console output of logback.xml is replaced by one in the
     * configured format, and the file, syslog, levels and throttling follow {@code global}.
     */
    public static synchronized void configure(ParamValues global) {
        console = true;
        Logger root = context().getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext();) {
            Appender<ILoggingEvent> a = it.next();
            if (a instanceof ConsoleAppender<ILoggingEvent> && !a.getName().equals(CONSOLE)) {
                root.detachAppender(a);
                a.stop();
            }
        }
        apply(global);
    }

    /** Applies (new) values of the logging parameters: outputs are rebuilt, the file reopened. */
    public static synchronized void apply(ParamValues global) {
        current = global;
        logdirSet = global.isSet(GlobalParams.LOGDIR);
        LoggerContext ctx = context();
        ctx.getLogger("dev.sluice").setLevel(level(global));
        ctx.getTurboFilterList().removeIf(f -> f instanceof LogThrottle);
        LogThrottle.Rule rule = LogThrottle.Rule.parse(global.get(GlobalParams.LOG_THROTTLING));
        if (rule.count() > 0) {
            LogThrottle throttle = new LogThrottle(rule, System::currentTimeMillis);
            throttle.setContext(ctx);
            throttle.start();
            ctx.addTurboFilter(throttle);
        }
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        replace(root, CONSOLE, console ? console(ctx) : null);
        replace(root, FILE, logdirSet && global.get(GlobalParams.MAXLOG) ? file(ctx, logFile()) : null);
        replace(root, SYSLOG, global.get(GlobalParams.SYSLOG) ? syslog(ctx) : null);
    }

    /** The level of Sluice's loggers that the log_* switches ask for. */
    public static Level level(ParamValues v) {
        return v.get(GlobalParams.LOG_DEBUG) ? Level.DEBUG
                : v.get(GlobalParams.LOG_INFO) || v.get(GlobalParams.LOG_NOTICE) ? Level.INFO
                : v.get(GlobalParams.LOG_WARNING) ? Level.WARN : Level.ERROR;
    }

    /**
     * Closes and reopens the log file (MaxScale's {@code rotate logs}, SIGUSR1): after logrotate renamed it, new
     * lines go to a new file under the original name.
     *
     * @return whether a log file is written (false: nothing to rotate)
     */
    public static synchronized boolean rotate() {
        Appender<ILoggingEvent> a = context().getLogger(Logger.ROOT_LOGGER_NAME).getAppender(FILE);
        if (!(a instanceof FileAppender<ILoggingEvent> file)) {
            return false;
        }
        try {
            Files.createDirectories(Path.of(file.getFile()).toAbsolutePath().getParent());
            file.openFile(file.getFile());
        } catch (java.io.IOException e) {
            LoggerFactory.getLogger(Logs.class).error("Cannot reopen the log file {}: {}", file.getFile(), e);
            return false;
        }
        rotations++;
        LoggerFactory.getLogger(Logs.class).info("Log file {} reopened (rotation {})", file.getFile(), rotations);
        return true;
    }

    /** The log file path, or null when no logdir is set. */
    public static synchronized Path logFile() {
        if (current == null || !logdirSet) {
            return null;
        }
        return Path.of(current.get(GlobalParams.LOGDIR)).resolve(FILE_NAME);
    }

    /** Whether a log file is being written now. */
    public static synchronized boolean fileOpen() {
        return context().getLogger(Logger.ROOT_LOGGER_NAME).getAppender(FILE) != null;
    }

    /** Installs SIGUSR1 as "rotate logs", as MaxScale; false when the JVM does not allow it. */
    public static boolean rotateOnSigusr1() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> rotate());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LoggerFactory.getLogger(Logs.class).warn("SIGUSR1 cannot rotate the logs: {}", e.getMessage());
            return false;
        }
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    private static void replace(Logger root, String name, Appender<ILoggingEvent> next) {
        Appender<ILoggingEvent> old = root.getAppender(name);
        if (next != null) {
            root.addAppender(next); // before the old one goes: no line is lost in between
        }
        if (old != null) {
            root.detachAppender(old);
            old.stop();
        }
    }

    private static LayoutWrappingEncoder<ILoggingEvent> encoder(LoggerContext ctx) {
        LogLayout layout = new LogLayout(current.get(GlobalParams.LOG_FORMAT).equals("json"),
                current.get(GlobalParams.MS_TIMESTAMP), current.get(GlobalParams.LOG_AUGMENTATION) == 1);
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    private static Appender<ILoggingEvent> console(LoggerContext ctx) {
        ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
        a.setContext(ctx);
        a.setName(CONSOLE);
        a.setEncoder(encoder(ctx));
        a.start();
        return a;
    }

    private static Appender<ILoggingEvent> file(LoggerContext ctx, Path path) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the log directory " + path.getParent() + ": " + e, e);
        }
        // logback refuses a second appender on a file it has seen (even a stopped one's): this one replaces it
        if (ctx.getObject(CoreConstants.FA_FILENAME_COLLISION_MAP) instanceof java.util.Map<?, ?> seen) {
            seen.remove(FILE);
        }
        FileAppender<ILoggingEvent> a = new FileAppender<>();
        a.setContext(ctx);
        a.setName(FILE);
        a.setFile(path.toString());
        a.setAppend(true);
        a.setEncoder(encoder(ctx));
        a.start();
        if (!a.isStarted()) {
            throw new IllegalStateException("cannot open the log file " + path + " (see logback's status messages)");
        }
        return a;
    }

    private static Appender<ILoggingEvent> syslog(LoggerContext ctx) {
        String address = System.getProperty(SYSLOG_ADDRESS_PROPERTY, "127.0.0.1:514");
        int colon = address.lastIndexOf(':');
        SyslogAppender a = new SyslogAppender();
        a.setContext(ctx);
        a.setName(SYSLOG);
        a.setSyslogHost(address.substring(0, colon));
        a.setPort(Integer.parseInt(address.substring(colon + 1)));
        a.setFacility("USER");
        a.setSuffixPattern("sluice[%thread]: \\(%logger{0}\\) %msg");
        a.start();
        return a;
    }
}
