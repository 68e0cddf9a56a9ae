package dev.sluice.modules.mariadbmon;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's journal: the name of the last known primary, in {@code <datadir>/<monitor>/mariadbmon.journal}
 * ({@code primary=NAME}). A restarted Sluice reads it before its first tick, so a primary that died while Sluice
 * was down is still recognised as the primary that failed (and {@code auto_failover} acts on it) instead of
 * being forgotten. A journal older than {@code journal_max_age} is ignored. Written only when the primary
 * changes, through a temporary file and an atomic rename.
 *
 * <p>Confined to the monitor thread (and the constructor).
 */
final class Journal {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    static final String FILE_NAME = "mariadbmon.journal";
    // a common monitor parameter, declared by the runtime; read here by name
    private static final Param<Duration> JOURNAL_MAX_AGE = Param.duration("journal_max_age",
            Duration.ofSeconds(28800), "Journal max age.");

    private final Path file;
    private final Duration maxAge;
    private String written = "";

    Journal(Path directory, ParamValues params) {
        this.file = directory.resolve(FILE_NAME);
        this.maxAge = params.get(JOURNAL_MAX_AGE);
    }

    /** The primary the journal names, or empty when there is none, it is unreadable or too old. */
    String readPrimary() {
        try {
            if (!Files.isRegularFile(file)) {
                return "";
            }
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            if (modified.plus(maxAge).isBefore(Instant.now())) {
                log.info("journal {} is older than journal_max_age ({}); ignored", file, maxAge);
                return "";
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("primary=")) {
                    written = line.substring("primary=".length()).trim();
                    return written;
                }
            }
        } catch (IOException e) {
            log.warn("journal {} could not be read: {}", file, e.getMessage());
        }
        return "";
    }

    /** Records {@code primary} when it differs from what the journal holds. */
    void writePrimary(String primary) {
        if (primary.equals(written)) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(tmp, "primary=" + primary + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written = primary;
        } catch (IOException e) {
            log.warn("journal {} could not be written: {}", file, e.getMessage());
            written = primary; // do not retry every tick; the next change tries again
        }
    }
}
