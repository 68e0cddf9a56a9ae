package dev.sluice.modules.readwritesplit;

import dev.sluice.api.query.Hint;
import dev.sluice.api.query.HintAction;
import dev.sluice.api.query.Operation;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import java.util.function.Function;

/**
 * Decides where one statement goes from its classification and the session's transaction state. Pure logic,
 * no I/O: the session turns the decision into connections. Rules, first match wins:
 * <ol>
 *   <li>session commands (SET, USE, user-variable assignments, text PREPARE/DEALLOCATE) go to every connection,
 *       also inside transactions;</li>
 *   <li>inside a READ ONLY transaction everything goes to its replica; inside any other transaction (or with
 *       autocommit off, or while the session is locked) to the primary;</li>
 *   <li>routing hints ({@code route to master|slave|server NAME|last});</li>
 *   <li>writes, CALL, multi-statements, statements not understood, locking reads, SELECT INTO, primary-only
 *       functions and variables, temporary-table reads go to the primary; FOUND_ROWS() follows the previous
 *       statement;</li>
 *   <li>other reads go to a replica; the rest to the primary.</li>
 * </ol>
 * Immutable; shared by the sessions of one router.
 */
final class TargetDecider {
    private final boolean useSqlVariablesInMaster;

    TargetDecider(ReadWriteSplitConfig config) {
        this.useSqlVariablesInMaster = config.useSqlVariablesInMaster();
    }

    /**
     * @param info         the statement, after {@link TransactionState#beforeStatement} has seen it
     * @param textPrepared the classification of a text prepared statement by name, or null if unknown
     */
    RoutingDecision decide(QueryInfo info, TransactionState trx, Function<String, QueryInfo> textPrepared) {
        return decide(info, trx, textPrepared, null);
    }

    /**
     * @param stacked the hint in force from the session's hint stack ({@link HintStack}), or null; a hint of the
     *                statement itself wins over it
     */
    RoutingDecision decide(QueryInfo info, TransactionState trx, Function<String, QueryInfo> textPrepared,
                           Hint stacked) {
        long t = info.types();
        if (isSessionCommand(info)) {
            return RoutingDecision.of(RouteTarget.ALL, "session command");
        }
        if (trx.readOnlyTransaction()) {
            return RoutingDecision.of(RouteTarget.REPLICA, "open read-only transaction");
        }
        if (trx.pinned()) {
            return RoutingDecision.of(RouteTarget.PRIMARY,
                    trx.open() ? "open read-write transaction" : "autocommit is off");
        }
        if (!trx.lockReason().isEmpty()) {
            return RoutingDecision.of(RouteTarget.PRIMARY, "session locked to the primary: " + trx.lockReason());
        }
        RoutingDecision hinted = fromHints(info);
        if (hinted == null && stacked != null) {
            hinted = fromHint(stacked);
        }
        if (hinted != null) {
            return hinted;
        }
        if (info.multiStatement()) {
            return RoutingDecision.of(RouteTarget.PRIMARY, "multi-statement");
        }
        if ((t & QueryType.CALL) != 0) {
            return RoutingDecision.of(RouteTarget.PRIMARY, "CALL of a stored procedure");
        }
        if ((t & QueryType.UNKNOWN) != 0) {
            return RoutingDecision.of(RouteTarget.PRIMARY, "statement not understood");
        }
        if ((t & QueryType.WRITE) != 0) {
            return RoutingDecision.of(RouteTarget.PRIMARY, "write");
        }
        if ((t & QueryType.EXEC_STMT) != 0) {
            QueryInfo prepared = info.prepared() != null ? info.prepared() : textPrepared.apply(info.preparedName());
            if (prepared == null) {
                return RoutingDecision.of(RouteTarget.PRIMARY, "EXECUTE of an unknown prepared statement");
            }
            RoutingDecision inner = decide(prepared, trx, textPrepared);
            return inner.target() == RouteTarget.ALL ? RoutingDecision.of(RouteTarget.PRIMARY,
                    "EXECUTE of a session command") : inner;
        }
        if ((t & QueryType.LOCKING_READ) != 0) {
            return RoutingDecision.of(RouteTarget.PRIMARY, "locking read (FOR UPDATE / LOCK IN SHARE MODE)");
        }
        if ((t & QueryType.SELECT_INTO) != 0) {
            return RoutingDecision.of(RouteTarget.PRIMARY, "SELECT ... INTO");
        }
        if ((t & QueryType.MASTER_READ) != 0) {
            if (info.functions().contains("found_rows")) {
                return RoutingDecision.of(RouteTarget.LAST_USED, "function FOUND_ROWS() follows the previous "
                        + "statement");
            }
            return RoutingDecision.of(RouteTarget.PRIMARY, info.functions().isEmpty()
                    ? "reads a primary-only variable" : "function " + info.functions().get(0) + "()");
        }
        if ((t & QueryType.READ_TMP_TABLE) != 0) {
            return RoutingDecision.of(RouteTarget.PRIMARY, "uses a temporary table of the session "
                    + info.tables());
        }
        if (useSqlVariablesInMaster && (t & (QueryType.USERVAR_READ | QueryType.USERVAR_WRITE)) != 0) {
            return RoutingDecision.of(RouteTarget.PRIMARY, "uses user variables (use_sql_variables_in=master)");
        }
        if (info.operation() == Operation.SHOW && readsDiagnostics(info.canonical())) {
            // as MaxScale: the warnings and errors are those of the previous statement, kept by its server
            return RoutingDecision.of(RouteTarget.LAST_USED, "SHOW WARNINGS / ERRORS follows the previous statement");
        }
        if ((t & QueryType.READ) != 0) {
            return RoutingDecision.of(RouteTarget.REPLICA, "autocommit read");
        }
        return RoutingDecision.of(RouteTarget.PRIMARY, "not a read");
    }

    /** SHOW WARNINGS, SHOW ERRORS and their COUNT(*) forms, from the canonical text {@code SHOW ...}. */
    private static boolean readsDiagnostics(String canonical) {
        int i = "SHOW ".length();
        if (canonical.regionMatches(true, i, "COUNT(*) ", 0, "COUNT(*) ".length())) {
            i += "COUNT(*) ".length();
        }
        return startsWordAt(canonical, i, "WARNINGS") || startsWordAt(canonical, i, "ERRORS");
    }

    private static boolean startsWordAt(String s, int at, String word) {
        int end = at + word.length();
        return s.regionMatches(true, at, word, 0, word.length()) && (end == s.length() || s.charAt(end) == ' ');
    }

    /**
     * Session commands: state every connection must share. A statement that also writes data, and
     * multi-statements, go to the primary instead (MaxScale does the same).
     */
    boolean isSessionCommand(QueryInfo info) {
        long t = info.types();
        if (info.multiStatement() || (t & (QueryType.WRITE | QueryType.UNKNOWN | QueryType.CALL)) != 0) {
            return false;
        }
        if ((t & (QueryType.SESSION_WRITE | QueryType.PREPARE_NAMED_STMT | QueryType.DEALLOC_PREPARE)) != 0) {
            return true;
        }
        if ((t & QueryType.USERVAR_WRITE) != 0) {
            // SET @a = 1 always; SELECT @a := 1 (or SELECT ... INTO @a) only with use_sql_variables_in=all
            return info.operation() == Operation.SET || !useSqlVariablesInMaster;
        }
        return false;
    }

    private static RoutingDecision fromHints(QueryInfo info) {
        for (Hint h : info.hints()) {
            if (h.action() != HintAction.APPLY) {
                continue;
            }
            RoutingDecision d = fromHint(h);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    private static RoutingDecision fromHint(Hint h) {
        return switch (h.type()) {
            case ROUTE_TO_MASTER -> RoutingDecision.of(RouteTarget.PRIMARY, "hint: " + h);
            case ROUTE_TO_SLAVE -> RoutingDecision.of(RouteTarget.REPLICA, "hint: " + h);
            case ROUTE_TO_NAMED_SERVER -> new RoutingDecision(RouteTarget.NAMED_SERVER, h.name(), "hint: " + h);
            case ROUTE_TO_LAST_USED -> RoutingDecision.of(RouteTarget.LAST_USED, "hint: " + h);
            default -> null;
        };
    }
}
