package dev.sluice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * maxctrl's option file ({@code ~/.maxctrl.cnf}): an INI file whose {@code [maxctrl]} section gives defaults for the
 * global options, written without their hyphens ({@code user=admin}, {@code hosts=a:8989,b:8989}). As maxctrl, the
 * default file may be absent, one named with {@code --config} must exist, the name must end in {@code .cnf}, and a
 * file that group or others may read is refused (it holds a password). Every refusal names the file, and the line
 * for a line that cannot be read.
 */
final class MaxCtrlConfig {
    static final List<String> SUPPORTED = List.of("user", "password", "hosts", "secure", "tsv", "tls-ca-cert",
            "timeout");

    private MaxCtrlConfig() {
    }

    static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".maxctrl.cnf");
    }

    /** The {@code [maxctrl]} options; empty when the default file does not exist. */
    static Map<String, String> read(Path file, boolean named) throws AdminClient.ApiException {
        if (!Files.exists(file)) {
            if (named) {
                throw new AdminClient.ApiException(file + ": no such option file");
            }
            return Map.of();
        }
        if (!file.getFileName().toString().endsWith(".cnf")) {
            throw new AdminClient.ApiException(file + " does not have a '.cnf' suffix");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new AdminClient.ApiException(file + " exists, but can be accessed by group and world; remove "
                        + "all rights from everyone else but the owner (chmod 600 " + file + ")");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new AdminClient.ApiException(file + ": " + e.getMessage());
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new AdminClient.ApiException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        String section = null;
        boolean sawMaxctrl = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = file + ":" + (i + 1) + ": ";
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw new AdminClient.ApiException(where + "malformed section header '" + line + "'");
                }
                section = line.substring(1, line.length() - 1).strip();
                sawMaxctrl |= section.equals("maxctrl");
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new AdminClient.ApiException(where + "expected key=value, got '" + line + "'");
            }
            if (section == null) {
                throw new AdminClient.ApiException(where + "'" + line + "' is outside any section (expected a "
                        + "[maxctrl] section first)");
            }
            String key = line.substring(0, eq).strip();
            if (!section.equals("maxctrl")) {
                continue;
            }
            if (key.startsWith("-")) {
                throw new AdminClient.ApiException(where + "option names must be written without hyphens: '" + key
                        + "'");
            }
            out.put(key, unquote(line.substring(eq + 1).strip()));
        }
        if (!sawMaxctrl) {
            throw new AdminClient.ApiException(file + " does not have a [maxctrl] section");
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    static boolean bool(Path file, String key, String value) throws AdminClient.ApiException {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new AdminClient.ApiException(file + ": " + key + "=" + value + " is not a boolean");
        };
    }

    static int number(Path file, String key, String value) throws AdminClient.ApiException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new AdminClient.ApiException(file + ": " + key + "=" + value + " is not a number of milliseconds");
        }
    }
}
