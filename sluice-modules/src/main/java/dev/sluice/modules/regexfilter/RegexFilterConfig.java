package dev.sluice.modules.regexfilter;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import dev.sluice.modules.filtermatch.FilterRegex;
import dev.sluice.modules.filtermatch.SessionMatch;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parameters of regexfilter, declared once, and the immutable snapshot a filter instance uses.
 *
 * @param pattern     {@code match}, compiled with {@code options}
 * @param replacement {@code replace}, parsed
 * @param session     which sessions the filter acts in
 * @param logTrace    log every rewrite
 */
record RegexFilterConfig(Pattern pattern, Replacement replacement, SessionMatch session, boolean logTrace) {
    public static final Param<String> MATCH = FilterRegex.param("match",
            "The regular expression searched for in each statement.").mandatory();
    public static final Param<String> REPLACE = Param.string("replace", "",
            "What every match is replaced with: $1 or ${1} insert a group, ${name} a named group, $$ a dollar "
                    + "sign.").mandatory().modifiable();
    public static final Param<List<String>> OPTIONS = FilterRegex.options();
    public static final Param<String> SOURCE = SessionMatch.SOURCE;
    public static final Param<String> USER = SessionMatch.USER;
    public static final Param<Boolean> LOG_TRACE = Param.bool("log_trace", false,
            "Log each statement rewritten, before and after, to the Sluice log (info level).").modifiable();

    public static final ParamSpec SPEC = ParamSpec.of(MATCH, REPLACE, OPTIONS, SOURCE, USER, LOG_TRACE);

    /**
     * The snapshot of a validated section.
     *
     * @throws dev.sluice.api.filter.FilterParameterException when {@code replace} refers to a group
     *                                                        {@code match} does not have
     */
    public static RegexFilterConfig from(ParamValues values) {
        Pattern pattern = FilterRegex.compile(values.get(MATCH), values.get(OPTIONS));
        return new RegexFilterConfig(pattern, Replacement.parse(values.get(REPLACE), pattern, REPLACE.name()),
                SessionMatch.from(values), values.get(LOG_TRACE));
    }

    /** {@code sql} rewritten, or null when the pattern does not occur in it. */
    public String rewrite(String sql) {
        return replacement.replaceAll(pattern, sql);
    }
}
