package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.Hint;
import dev.sluice.api.query.HintAction;
import dev.sluice.api.query.HintType;
import dev.sluice.api.query.QueryInfo;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The session's hint state of MaxScale's hintfilter: hints pushed with {@code -- maxscale begin ...} (or a
 * named one with {@code -- maxscale NAME begin}) stay in force for later statements until {@code -- maxscale
 * end} pops them; {@code -- maxscale NAME prepare ...} defines a named hint without using it. A hint of the
 * statement itself ({@code route to ...} alone) still wins over the stack. Confined to the session's worker.
 */
final class HintStack {
    private final ArrayDeque<Hint> stack = new ArrayDeque<>();
    private final Map<String, Hint> named = new HashMap<>();

    /**
     * Applies the statement's begin / end / prepare hints and returns the stacked hint in force for it (as an
     * APPLY hint), or null.
     */
    Hint inForce(QueryInfo info) {
        for (Hint h : info.hints()) {
            switch (h.action()) {
                case PREPARE -> named.put(h.label(), content(h));
                case BEGIN -> {
                    Hint pushed = h.type() == HintType.NONE ? named.get(h.label()) : content(h);
                    if (h.type() != HintType.NONE && !h.label().isEmpty()) {
                        named.put(h.label(), pushed);
                    }
                    if (pushed != null) {
                        stack.push(pushed);
                    }
                }
                case END -> stack.poll();
                case APPLY -> { }
            }
        }
        return stack.peek();
    }

    /** The hint in force without looking at a new statement (for explain). */
    Hint current() {
        return stack.peek();
    }

    /** COM_CHANGE_USER / COM_RESET_CONNECTION: a new session state. */
    void clear() {
        stack.clear();
        named.clear();
    }

    /**
     * The {@code max_replication_lag=N} (or {@code max_slave_replication_lag=N}) hint for a statement, in seconds:
     * its own, else the stacked one in force; -1 for none (or a value that is not a number of seconds).
     */
    static long maxReplicationLag(QueryInfo info, Hint inForce) {
        for (Hint h : info.hints()) {
            long lag = lagOf(h);
            if (h.action() == HintAction.APPLY && lag >= 0) {
                return lag;
            }
        }
        return inForce == null ? -1 : lagOf(inForce);
    }

    private static long lagOf(Hint h) {
        if (h.type() != HintType.PARAMETER || !(h.name().equalsIgnoreCase("max_replication_lag")
                || h.name().equalsIgnoreCase("max_slave_replication_lag"))) {
            return -1;
        }
        String v = h.value().endsWith("s") ? h.value().substring(0, h.value().length() - 1) : h.value();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Hint content(Hint h) {
        return Hint.apply(h.type(), h.name(), h.value());
    }
}
