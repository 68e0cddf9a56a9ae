package dev.sluice.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Adds the log file under {@code logdir} and applies the [maxscale] log levels; stdout is always on (logback.xml). */
final class Logging {
    private Logging() {
    }

    static void configure(String logdir, boolean info, boolean debug) throws IOException {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger sluice = ctx.getLogger("dev.sluice");
        sluice.setLevel(debug ? Level.DEBUG : info ? Level.INFO : Level.INFO);
        if (logdir == null || logdir.isEmpty()) {
            return;
        }
        Path dir = Path.of(logdir);
        Files.createDirectories(dir);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(ctx);
        file.setName("file");
        file.setFile(dir.resolve("sluice.log").toString());
        file.setEncoder(encoder);
        file.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(file);
    }
}
