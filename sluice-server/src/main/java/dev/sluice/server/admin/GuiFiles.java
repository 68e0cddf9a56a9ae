package dev.sluice.server.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The web GUI's static files, served from the jar ({@code dev/sluice/server/gui/}) under the admin port's
 * {@code /} and {@code /gui/…}. Each file is read once, gzipped once and given an ETag (a hash of its bytes);
 * answers carry {@code Cache-Control: no-cache}, so a browser revalidates and gets a 304 while the jar is the
 * same, and the new files as soon as Sluice is upgraded. Only names of the form {@code name.ext} with a known
 * extension are looked up, so no path can leave the directory.
 *
 * <p>Used by the admin event loop only (the cache is a plain map).
 */
final class GuiFiles {
    private static final String ROOT = "/dev/sluice/server/gui/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*\\.(html|js|css|svg|png|ico)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "ico", "image/x-icon");

    /** One file, ready to send. */
    record File(String contentType, byte[] bytes, byte[] gzipped, String etag) {
    }

    private final Map<String, File> cache = new HashMap<>(); // admin event loop only
    private static final File MISSING = new File("", new byte[0], new byte[0], "");

    /** Whether {@code path} is the GUI's (everything but the API, {@code /metrics} and the favicon probe). */
    static boolean isGuiPath(String path) {
        return path.equals("/") || path.startsWith("/gui/") || path.equals("/index.html");
    }

    /** The file for a GUI path, or null when there is none. */
    File find(String path) {
        String name = path.equals("/") || path.equals("/index.html") ? "index.html" : path.substring("/gui/".length());
        if (!NAME.matcher(name).matches()) {
            return null;
        }
        File f = cache.computeIfAbsent(name, GuiFiles::load);
        return f == MISSING ? null : f;
    }

    private static File load(String name) {
        try (InputStream in = GuiFiles.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return MISSING;
            }
            byte[] bytes = in.readAllBytes();
            ByteArrayOutputStream zipped = new ByteArrayOutputStream(bytes.length / 3 + 64);
            try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
                gz.write(bytes);
            }
            String ext = name.substring(name.lastIndexOf('.') + 1);
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12)
                    + "\"";
            return new File(TYPES.get(ext), bytes, zipped.toByteArray(), etag);
        } catch (IOException e) {
            throw new UncheckedIOException("GUI file " + name + " cannot be read", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
