package dev.sluice.server.admin;

import dev.sluice.api.config.ParamValues;
import dev.sluice.server.config.GlobalParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code admin_audit}: one CSV line per admin REST API request in {@code admin_audit_file}, except for the
 * methods in {@code admin_audit_exclude_methods} (MaxScale logs every method unless excluded; exclude
 * {@code GET} to keep only the changes). The three parameters are read when each request arrives, so a
 * PATCH of {@code /v1/maxscale} turns auditing on or off from the next request on. Columns:
 * {@code timestamp,user,host,method,uri,status,duration_ms,body}; the user is empty when the login was
 * refused; password values in the body are masked. Lines are written by one {@code sluice-admin-audit}
 * thread, never by the admin event loop; a file that cannot be written is reported in the log once per file.
 */
final class AdminAudit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminAudit.class);
    static final String HEADER = "timestamp,user,host,method,uri,status,duration_ms,body";
    private static final Pattern PASSWORD = Pattern.compile("(\"[a-z_]*password\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

    private final Supplier<ParamValues> globals;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sluice-admin-audit");
        t.setDaemon(true);
        return t;
    });
    private String failedFile; // writer thread only: the file last reported as unwritable

    AdminAudit(Supplier<ParamValues> globals) {
        this.globals = globals;
    }

    /**
     * The audit file a request arriving now goes to, or null when it is not audited: the decision is taken
     * when the request arrives, so the PATCH that turns auditing off is itself recorded.
     */
    String fileFor(String method) {
        try {
            ParamValues g = globals.get();
            return g.get(GlobalParams.ADMIN_AUDIT) && !g.get(GlobalParams.ADMIN_AUDIT_EXCLUDE_METHODS).contains(method)
                    ? g.get(GlobalParams.ADMIN_AUDIT_FILE) : null;
        } catch (RuntimeException e) { // auditing must never keep a request from being answered
            log.warn("admin_audit: cannot read its parameters: {}", e.toString());
            return null;
        }
    }

    /** Records one answered request in {@code file} (from {@link #fileFor}; null: nothing); cheap on the caller. */
    void record(String file, String user, String host, String method, String uri, int status, long durationMillis,
                String body) {
        if (file == null) {
            return;
        }
        Instant at = Instant.now();
        try {
            writer.execute(() -> append(Path.of(file), String.join(",", at.toString(), csv(user), csv(host), method,
                    csv(uri), Integer.toString(status), Long.toString(durationMillis), csv(mask(body)))));
        } catch (RejectedExecutionException e) {
            // closing: the request is answered anyway
        }
    }

    static String mask(String body) {
        return body == null || body.isEmpty() ? "" : PASSWORD.matcher(body).replaceAll("$1\"*****\"");
    }

    /** A CSV field: quoted when it holds a comma, quote or line break; line breaks become spaces. */
    static String csv(String value) {
        String v = value == null ? "" : value.replace('\r', ' ').replace('\n', ' ');
        return v.indexOf(',') < 0 && v.indexOf('"') < 0 ? v : '"' + v.replace("\"", "\"\"") + '"';
    }

    private void append(Path file, String line) {
        try {
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            Files.writeString(file, (fresh ? HEADER + "\n" : "") + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            failedFile = null;
        } catch (IOException | RuntimeException e) {
            if (!file.toString().equals(failedFile)) {
                failedFile = file.toString();
                log.error("admin_audit: cannot write to admin_audit_file {}: {}", file, e.toString());
            }
        }
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}
