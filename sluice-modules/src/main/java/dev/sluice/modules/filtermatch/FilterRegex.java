package dev.sluice.modules.filtermatch;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * MaxScale's regular-expression parameters: a pattern optionally written between slashes ({@code /^SELECT/},
 * the slashes are dropped) and an {@code options} list of {@code ignorecase} (the default), {@code case} and
 * {@code extended} (white space and {@code #} comments in the pattern are ignored). Patterns are Java regular
 * expressions, which read PCRE2's common syntax the same way; PCRE2-only constructs (recursion, callouts,
 * {@code \K}) are refused when the configuration is loaded.
 */
public final class FilterRegex {
    public static final List<String> OPTIONS = List.of("ignorecase", "case", "extended");

    private FilterRegex() {
    }

    /** An optional regex parameter, checked to compile when the configuration is loaded. */
    public static Param<String> param(String name, String description) {
        return Param.regex(name, "", description).modifiable().check(FilterRegex::check);
    }

    /** The {@code options} parameter. */
    public static Param<List<String>> options() {
        return Param.enumList("options", List.of("ignorecase"), OPTIONS,
                "How patterns match: ignorecase (the default), case (case-sensitive), extended (white space "
                        + "and # comments in patterns are ignored).").modifiable();
    }

    /** The pattern text without MaxScale's optional surrounding slashes. */
    public static String strip(String raw) {
        String v = raw.strip();
        if (v.length() >= 2 && v.startsWith("/") && v.endsWith("/")) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** Compiles a checked pattern with the {@code options} list. */
    public static Pattern compile(String raw, List<String> options) {
        int flags = 0;
        if (!options.contains("case")) {
            flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        }
        if (options.contains("extended")) {
            flags |= Pattern.COMMENTS;
        }
        return Pattern.compile(strip(raw), flags);
    }

    private static void check(String raw) throws ParamException {
        try {
            Pattern.compile(strip(raw));
        } catch (PatternSyntaxException e) {
            throw new ParamException("invalid regular expression '" + raw + "': " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at offset " + e.getIndex() : ""));
        }
    }
}
