package dev.sluice.server.config;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamException;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Parses a section's raw entries against a {@link ParamSpec}: unknown keys (with a suggestion), values that do
 * not parse, a parameter set under two of its names, and missing mandatory parameters all become problems.
 * With {@code substitute_variables=true} a value starting with {@code $} is replaced by that environment
 * variable first, as MaxScale does.
 */
final class SectionValues {
    private final Consumer<ConfigProblem> problems;
    private final Function<String, String> environment;
    private boolean substituteVariables;

    SectionValues(Consumer<ConfigProblem> problems, Function<String, String> environment) {
        this.problems = problems;
        this.environment = environment;
    }

    void substituteVariables(boolean enabled) {
        this.substituteVariables = enabled;
    }

    /**
     * @param reportUnknown false when the section's module is unknown: its keys cannot be judged, and the
     *                      unknown module is reported already
     */
    ParamValues parse(String section, Map<String, IniEntry> entries, ParamSpec spec, boolean reportUnknown,
                      IniSection header) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, IniEntry> seen = new HashMap<>();
        for (IniEntry entry : entries.values()) {
            Param<?> param = spec.find(entry.key()).orElse(null);
            if (param == null) {
                if (reportUnknown) {
                    problems.accept(problem(section, entry, "unknown parameter"
                            + Suggestion.didYouMean(entry.key(), spec.acceptedNames())));
                }
                continue;
            }
            IniEntry earlier = seen.putIfAbsent(param.name(), entry);
            if (earlier != null) {
                problems.accept(problem(section, entry, "set twice, also as " + earlier.key() + " on line "
                        + earlier.line()));
                continue;
            }
            String raw = substitute(section, entry);
            if (raw == null) {
                continue;
            }
            try {
                param.checkSupported(raw);
                values.put(param.name(), param.parse(raw));
            } catch (ParamException e) {
                problems.accept(problem(section, entry, e.getMessage()));
            }
        }
        for (Param<?> param : spec.params()) {
            if (param.isMandatory() && !seen.containsKey(param.name())) {
                problems.accept(new ConfigProblem(header.file(), header.line(), section, param.name(),
                        "missing mandatory parameter"));
            }
        }
        return ParamValues.of(values);
    }

    private String substitute(String section, IniEntry entry) {
        String value = entry.value();
        if (!substituteVariables || !value.startsWith("$")) {
            return value;
        }
        String variable = value.substring(1);
        String replacement = environment.apply(variable);
        if (replacement == null) {
            problems.accept(problem(section, entry, "environment variable " + variable + " is not set "
                    + "(substitute_variables=true)"));
        }
        return replacement;
    }

    private static ConfigProblem problem(String section, IniEntry entry, String message) {
        return new ConfigProblem(entry.file(), entry.line(), section, entry.key(), message);
    }
}
