package dev.sluice.server.config;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamKind;
import dev.sluice.api.config.ParamSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the core parameter specs as the Markdown reference tables of {@code docs/configuration.md}, so the
 * documentation is generated from the same declarations the loader uses (a test keeps the file current).
 */
public final class ParameterReference {
    private record Table(String title, String intro, ParamSpec spec) {
    }

    private static final List<Table> TABLES = List.of(
            new Table("Global parameters: `[maxscale]`", "", GlobalParams.SPEC),
            new Table("Server parameters: `type=server`", "", ServerParams.SPEC),
            new Table("Service parameters: `type=service`",
                    "The router module's own parameters are accepted in the same section.", ServiceParams.SPEC),
            new Table("Listener parameters: `type=listener`", "", ListenerParams.SPEC),
            new Table("Monitor parameters: `type=monitor`",
                    "The monitor module's own parameters are accepted in the same section.", MonitorParams.SPEC),
            new Table("Filter parameters: `type=filter`",
                    "Everything else in a filter section belongs to the filter module.", FilterParams.SPEC));

    private ParameterReference() {
    }

    /** The reference section: one table per object type, parameters in declaration order. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        for (Table table : TABLES) {
            out.append("### ").append(table.title()).append("\n\n");
            if (!table.intro().isEmpty()) {
                out.append(table.intro()).append("\n\n");
            }
            out.append(table(table.spec())).append('\n');
        }
        return out.toString();
    }

    /**
     * The reference of all modules: one section per module with its description and parameter table.
     * docs/modules.md is generated from it.
     */
    public static String modulesMarkdown(List<dev.sluice.api.Module> modules) {
        StringBuilder out = new StringBuilder();
        for (dev.sluice.api.Module m : modules) {
            out.append("### ").append(m.name()).append(" (").append(m.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .append(")\n\n").append(m.description()).append('.');
            if (!m.aliases().isEmpty()) {
                out.append(" Also accepted as: ").append(m.aliases().stream().map(a -> "`" + a + "`")
                        .collect(Collectors.joining(", "))).append('.');
            }
            out.append("\n\n").append(table(m.spec())).append('\n');
        }
        return out.toString();
    }

    /** One Markdown table of a spec's parameters, in declaration order. */
    public static String table(ParamSpec spec) {
        StringBuilder out = new StringBuilder();
        out.append("| Parameter | Type | Default | Runtime | Description |\n");
        out.append("|---|---|---|---|---|\n");
        for (Param<?> p : spec.params()) {
            out.append("| ").append(name(p))
                    .append(" | ").append(cell(type(p)))
                    .append(" | ").append(defaultCell(p))
                    .append(" | ").append(p.isModifiable() ? "yes" : "no")
                    .append(" | ").append(cell(description(p)))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** The description, led by the refusal for a parameter Sluice does not support. */
    private static String description(Param<?> p) {
        if (!p.isRefused()) {
            return p.description();
        }
        Param.Refusal r = p.refusal();
        String accepted = r.acceptedValues().isEmpty() ? "loading refuses it"
                : "loading refuses any value but " + String.join(" or ", r.acceptedValues().stream()
                .map(v -> v.isEmpty() ? "an empty one" : v).toList());
        return "**Not supported** (" + r.reason() + "; " + accepted + "). " + p.description();
    }

    private static String name(Param<?> p) {
        String name = "`" + p.name() + "`";
        if (!p.aliases().isEmpty()) {
            name += " (alias " + p.aliases().stream().map(a -> "`" + a + "`").collect(Collectors.joining(", "))
                    + ")";
        }
        return name;
    }

    private static String type(Param<?> p) {
        String type = p.kind().restName();
        if (!p.enumValues().isEmpty()) {
            return type + ": " + String.join(", ", p.enumValues());
        }
        boolean bounded = p.min() != Long.MIN_VALUE && p.min() != 0 || p.max() != Long.MAX_VALUE;
        if (bounded) {
            String unit = p.kind() == ParamKind.DURATION ? "ms" : "";
            return p.max() == Long.MAX_VALUE ? type + ", at least " + p.min() + unit
                    : type + ", " + p.min() + unit + " to " + p.max() + unit;
        }
        return type;
    }

    private static String defaultCell(Param<?> p) {
        if (p.isMandatory()) {
            return "mandatory";
        }
        String text = p.defaultText();
        return text.isEmpty() ? "" : "`" + cell(text) + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
