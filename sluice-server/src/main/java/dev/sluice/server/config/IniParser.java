package dev.sluice.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads MaxScale's INI dialect into {@link IniSection}s, reporting every malformed line rather than stopping
 * at the first. The rules are MaxScale's: {@code #} (or {@code ;}) starts a comment only at the beginning of a
 * line, so a {@code #} inside a value belongs to it; a line starting with whitespace continues the previous
 * value, appended after a comma (lists written over several lines); section names use URL-safe characters.
 */
final class IniParser {
    private static final Pattern SECTION_NAME = Pattern.compile("[A-Za-z0-9_.~-]+");

    private IniParser() {
    }

    static List<IniSection> parse(String text, String file, boolean mainFile, Consumer<ConfigProblem> problems) {
        List<IniSection> sections = new ArrayList<>();
        IniSection current = null;
        IniEntry last = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String raw = lines[i];
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            boolean indented = Character.isWhitespace(raw.charAt(0));
            if (indented && last != null) {
                last = appendContinuation(current, last, line);
                continue;
            }
            if (line.startsWith("[")) {
                last = null;
                current = section(line, file, lineNo, mainFile, problems);
                if (current != null) {
                    sections.add(current);
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                problems.accept(new ConfigProblem(file, lineNo, current == null ? null : current.name(), null,
                        "'" + line + "' is not key=value, a [section] header or a # comment"));
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (current == null) {
                problems.accept(new ConfigProblem(file, lineNo, null, key.isEmpty() ? null : key,
                        "parameter outside any [section]"));
                continue;
            }
            if (key.isEmpty()) {
                problems.accept(new ConfigProblem(file, lineNo, current.name(), null, "parameter name missing before ="));
                continue;
            }
            IniEntry entry = new IniEntry(key, value, file, lineNo);
            IniEntry earlier = current.put(entry);
            if (earlier != null) {
                problems.accept(current.problem(entry, "set twice (first on line " + earlier.line() + ")"));
                last = null;
            } else {
                last = entry;
            }
        }
        return sections;
    }

    private static IniEntry appendContinuation(IniSection section, IniEntry last, String continuation) {
        String value = last.value();
        String joined = value.isEmpty() || value.endsWith(",") || continuation.startsWith(",")
                ? value + continuation : value + "," + continuation;
        IniEntry entry = last.withValue(joined);
        section.replace(entry);
        return entry;
    }

    private static IniSection section(String line, String file, int lineNo, boolean mainFile,
                                      Consumer<ConfigProblem> problems) {
        if (!line.endsWith("]")) {
            problems.accept(new ConfigProblem(file, lineNo, null, null,
                    "'" + line + "' is not a section header (expected: [name])"));
            return null;
        }
        String name = line.substring(1, line.length() - 1).strip();
        if (!SECTION_NAME.matcher(name).matches() || name.startsWith("@@")) {
            problems.accept(new ConfigProblem(file, lineNo, name, null,
                    "invalid section name (expected: letters, digits and _ . ~ - only)"));
        }
        return new IniSection(name, file, lineNo, mainFile);
    }
}
