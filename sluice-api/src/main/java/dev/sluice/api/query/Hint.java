package dev.sluice.api.query;

import java.util.Objects;

/**
 * One routing hint found in a comment of the statement, in MaxScale's syntax ({@code -- maxscale route to
 * master}, {@code /* maxscale route to server db2 *&#47;}, {@code # maxscale max_replication_lag=5}, named stacks
 * with {@code prepare}/{@code begin}/{@code end}) or Sluice's own alias ({@code /* sluice route to slave *&#47;}).
 * Immutable.
 *
 * @param action what to do with the session's hint state
 * @param label  the name of a named hint ({@code name begin}, {@code name prepare ...}), else empty
 * @param type   what the hint asks for
 * @param name   the server for {@link HintType#ROUTE_TO_NAMED_SERVER}, the parameter for {@link HintType#PARAMETER},
 *               else empty
 * @param value  the parameter value for {@link HintType#PARAMETER}, else empty
 */
public record Hint(HintAction action, String label, HintType type, String name, String value) {
    public Hint {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** A hint that applies to this statement only. */
    public static Hint apply(HintType type, String name, String value) {
        return new Hint(HintAction.APPLY, "", type, name, value);
    }

    /**
     * The hint written back in MaxScale's syntax without the {@code maxscale} prefix, e.g. {@code route to server
     * db2}, {@code begin route to slave}, {@code stack1 prepare max_replication_lag=5}, {@code end}.
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (!label.isEmpty()) {
            out.append(label).append(' ');
        }
        switch (action) {
            case BEGIN -> out.append("begin");
            case END -> out.append("end");
            case PREPARE -> out.append("prepare");
            case APPLY -> { }
        }
        String content = switch (type) {
            case NONE -> "";
            case ROUTE_TO_MASTER -> "route to master";
            case ROUTE_TO_SLAVE -> "route to slave";
            case ROUTE_TO_NAMED_SERVER -> "route to server " + name;
            case ROUTE_TO_LAST_USED -> "route to last";
            case PARAMETER -> name + "=" + value;
        };
        if (!content.isEmpty() && out.length() > 0) {
            out.append(' ');
        }
        return out.append(content).toString();
    }
}
