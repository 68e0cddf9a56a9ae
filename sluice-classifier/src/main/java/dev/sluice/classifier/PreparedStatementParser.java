package dev.sluice.classifier;

import dev.sluice.api.query.Operation;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import java.util.function.IntFunction;

/**
 * Classifies the text-protocol prepared statement family: PREPARE name FROM 'text' | @var, EXECUTE name [USING
 * ...], EXECUTE IMMEDIATE 'text', DEALLOCATE / DROP PREPARE. The text of a string literal is classified by the
 * caller's {@code classifyText} (a nested classifier), and the result is kept in {@link QueryInfo#prepared()} so
 * that a router knows what a later EXECUTE will do. Thread rules: confined to the owning worker.
 */
final class PreparedStatementParser {
    private final ClauseScanner scanner;

    PreparedStatementParser(ClauseScanner scanner) {
        this.scanner = scanner;
    }

    private static void set(InfoBuilder out, Operation op, long types) {
        out.operation(op);
        out.add(types);
    }

    /** PREPARE name FROM 'text' | @variable. */
    void prepare(Tokens tokens, InfoBuilder out, int from, IntFunction<QueryInfo> classifyText) {
        set(out, Operation.PREPARE, QueryType.PREPARE_NAMED_STMT);
        if (!tokens.isIdentifier(from + 1)) {
            out.add(QueryType.UNKNOWN);
            return;
        }
        out.preparedName = tokens.name(from + 1);
        if (tokens.kw(from + 2) == Keyword.FROM) {
            out.prepared = classifyText.apply(from + 3);
        }
    }

    /** EXECUTE name [USING @a, ...] or EXECUTE IMMEDIATE 'text'. */
    void execute(Tokens tokens, InfoBuilder out, int from, int to, IntFunction<QueryInfo> classifyText) {
        set(out, Operation.EXECUTE, QueryType.EXEC_STMT);
        if (tokens.kw(from + 1) == Keyword.IMMEDIATE) {
            QueryInfo inner = classifyText.apply(from + 2);
            if (inner == null) {
                out.add(QueryType.UNKNOWN);
                return;
            }
            out.prepared = inner;
            out.add(inner.types());
            inner.tables().forEach(out::table);
            inner.databases().forEach(out::database);
            inner.functions().forEach(name -> out.function(name, 0));
            return;
        }
        if (!tokens.isIdentifier(from + 1)) {
            out.add(QueryType.UNKNOWN);
            return;
        }
        out.preparedName = tokens.name(from + 1);
        scanner.scan(tokens, out, from + 2, to, ClauseScanner.TableState.NONE, false, false);
    }

    /** {@code i} is at PREPARE of DEALLOCATE PREPARE name / DROP PREPARE name. */
    static void deallocate(Tokens tokens, InfoBuilder out, int i) {
        set(out, Operation.DEALLOCATE, QueryType.DEALLOC_PREPARE);
        if (tokens.kw(i) == Keyword.PREPARE && tokens.isIdentifier(i + 1)) {
            out.preparedName = tokens.name(i + 1);
        } else {
            out.add(QueryType.UNKNOWN);
        }
    }
}
