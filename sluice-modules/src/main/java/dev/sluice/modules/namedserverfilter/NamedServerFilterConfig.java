package dev.sluice.modules.namedserverfilter;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamException;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import dev.sluice.api.filter.FilterParameterException;
import dev.sluice.api.query.Hint;
import dev.sluice.api.query.HintType;
import dev.sluice.modules.filtermatch.FilterRegex;
import dev.sluice.modules.filtermatch.SessionMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parameters of namedserverfilter, declared once, and the immutable rules a filter instance uses: up to 25
 * pairs {@code matchNN} / {@code targetNN} (NN from 01), checked in that order, the first match winning; the
 * legacy pair {@code match} / {@code server} is checked after them.
 *
 * @param rules   in the order they are tried
 * @param session which sessions the filter acts in
 */
public record NamedServerFilterConfig(List<Rule> rules, SessionMatch session) {
    /** MaxScale's highest pair number. */
    public static final int PAIRS = 25;

    /** One pattern and the hints a matching statement gets. */
    public record Rule(String parameter, Pattern pattern, List<Hint> hints) {
        public Rule {
            hints = List.copyOf(hints);
        }
    }

    static final List<Param<String>> MATCH = new ArrayList<>();
    static final List<Param<String>> TARGET = new ArrayList<>();

    static {
        for (int i = 1; i <= PAIRS; i++) {
            String nn = String.format("%02d", i);
            MATCH.add(FilterRegex.param("match" + nn, "Statements matching this regular expression are routed to "
                    + "target" + nn + "."));
            TARGET.add(Param.string("target" + nn, "", "Where statements matching match" + nn + " go: server "
                    + "names separated by commas (readwritesplit uses the first it can), ->master or ->slave.")
                    .modifiable().check(NamedServerFilterConfig::checkTarget));
        }
    }

    public static final Param<String> LEGACY_MATCH = FilterRegex.param("match",
            "Legacy form of match01: statements matching it go to server.");
    public static final Param<String> LEGACY_SERVER = Param.string("server", "",
            "Legacy form of target01: the server for statements matching match.").modifiable()
            .check(NamedServerFilterConfig::checkTarget);
    public static final Param<List<String>> OPTIONS = FilterRegex.options();
    public static final Param<String> SOURCE = SessionMatch.SOURCE;
    public static final Param<String> USER = SessionMatch.USER;

    public static final ParamSpec SPEC;

    static {
        List<Param<?>> all = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            all.add(MATCH.get(i));
            all.add(TARGET.get(i));
        }
        all.add(LEGACY_MATCH);
        all.add(LEGACY_SERVER);
        all.add(OPTIONS);
        all.add(SOURCE);
        all.add(USER);
        SPEC = ParamSpec.of(all);
    }

    public NamedServerFilterConfig {
        rules = List.copyOf(rules);
    }

    /**
     * The rules of a validated section.
     *
     * @throws FilterParameterException for a pattern without its target or a target without its pattern, or
     *                                  for a section with no pair at all
     */
    public static NamedServerFilterConfig from(ParamValues values) {
        List<String> options = values.get(OPTIONS);
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            rule(values, MATCH.get(i), TARGET.get(i), options, rules);
        }
        rule(values, LEGACY_MATCH, LEGACY_SERVER, options, rules);
        if (rules.isEmpty()) {
            throw new FilterParameterException(MATCH.get(0).name(), "namedserverfilter needs at least one "
                    + "match01/target01 pair (or the legacy match/server)");
        }
        return new NamedServerFilterConfig(rules, SessionMatch.from(values));
    }

    private static void rule(ParamValues values, Param<String> match, Param<String> target, List<String> options,
                             List<Rule> out) {
        String pattern = values.get(match);
        String where = values.get(target).strip();
        if (pattern.isEmpty() && where.isEmpty()) {
            return;
        }
        if (where.isEmpty()) {
            throw new FilterParameterException(match.name(), match.name() + " is set but " + target.name()
                    + " is not (expected: both, or neither)");
        }
        if (pattern.isEmpty()) {
            throw new FilterParameterException(target.name(), target.name() + " is set but " + match.name()
                    + " is not (expected: both, or neither)");
        }
        out.add(new Rule(match.name(), FilterRegex.compile(pattern, options), hints(where)));
    }

    /** The hints of a checked target: one per named server, or the role hint. */
    static List<Hint> hints(String target) {
        String t = target.strip();
        if (t.equalsIgnoreCase("->master")) {
            return List.of(Hint.apply(HintType.ROUTE_TO_MASTER, "", ""));
        }
        if (t.equalsIgnoreCase("->slave")) {
            return List.of(Hint.apply(HintType.ROUTE_TO_SLAVE, "", ""));
        }
        List<Hint> out = new ArrayList<>();
        for (String name : t.split(",")) {
            if (!name.isBlank()) {
                out.add(Hint.apply(HintType.ROUTE_TO_NAMED_SERVER, name.strip(), ""));
            }
        }
        return out;
    }

    private static void checkTarget(String value) throws ParamException {
        String t = value.strip();
        if (t.isEmpty() || t.equalsIgnoreCase("->master") || t.equalsIgnoreCase("->slave")) {
            return;
        }
        if (t.equalsIgnoreCase("->all")) {
            throw new ParamException("'->all' is not supported by Sluice (expected: server names, ->master or "
                    + "->slave)");
        }
        for (String name : t.split(",")) {
            String n = name.strip();
            if (n.isEmpty() || !n.matches("[A-Za-z0-9_.~-]+")) {
                throw new ParamException("'" + value + "' is not a list of server names (expected: names "
                        + "separated by commas, ->master or ->slave)");
            }
        }
    }
}
