package dev.sluice.api.query;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the classifier learned about one COM_QUERY, as an immutable value that may be cached and shared
 * between threads.
 *
 * <p>Lists keep the order of first appearance and hold no duplicates. Table names are written as in the
 * statement without quotes, qualified ({@code db.t}) when the statement qualifies them; names of common table
 * expressions are not tables. Function names are lower case. For a multi-statement every list covers all the
 * statements and {@link #types()} is the union of their masks.
 *
 * @param types          {@link QueryType} bits
 * @param operation      the operation of the (first) statement
 * @param tables         tables, views and sequences named
 * @param databases      databases named: qualifiers of tables, and the database of USE, CREATE/DROP DATABASE,
 *                       SHOW ... FROM db
 * @param functions      functions called, lower case
 * @param preparedName   the statement name of PREPARE / EXECUTE / DEALLOCATE PREPARE, else empty
 * @param prepared       for {@code PREPARE name FROM 'text'} and {@code EXECUTE IMMEDIATE 'text'}, the
 *                       classification of the text, else {@code null}
 * @param multiStatement true when the text holds more than one statement
 * @param hints          routing hints, in the order written
 * @param canonical      the statement with literals replaced by {@code ?}, comments removed and each run of white
 *                       space and comments folded into one space; executed {@code /*! *&#47;} bodies are kept
 *                       without their markers
 */
public record QueryInfo(long types, Operation operation, List<String> tables, List<String> databases,
                        List<String> functions, String preparedName, QueryInfo prepared, boolean multiStatement,
                        List<Hint> hints, String canonical) {

    public QueryInfo {
        Objects.requireNonNull(operation, "operation");
        tables = List.copyOf(tables);
        databases = List.copyOf(databases);
        functions = List.copyOf(functions);
        Objects.requireNonNull(preparedName, "preparedName");
        hints = List.copyOf(hints);
        Objects.requireNonNull(canonical, "canonical");
    }

    /** True when every bit of {@code typeMask} is set. */
    public boolean is(long typeMask) {
        return (types & typeMask) == typeMask;
    }

    /** True when any bit of {@code typeMask} is set. */
    public boolean isAny(long typeMask) {
        return (types & typeMask) != 0;
    }

    /**
     * True when the statement must go to the primary as a write: it writes, was not understood, is a CALL, or is a
     * multi-statement (which MaxScale also routes to the primary).
     */
    public boolean isWrite() {
        return multiStatement || (types & (QueryType.WRITE | QueryType.UNKNOWN | QueryType.CALL)) != 0;
    }

    /** The classification of the prepared text, when the statement carried one. */
    public Optional<QueryInfo> preparedInfo() {
        return Optional.ofNullable(prepared);
    }

    /** This value with extra type bits (used to add session-dependent bits to a cached result). */
    public QueryInfo withTypes(long extraTypes) {
        if ((types | extraTypes) == types) {
            return this;
        }
        return new QueryInfo(types | extraTypes, operation, tables, databases, functions, preparedName, prepared,
                multiStatement, hints, canonical);
    }

    /**
     * This value with {@code requestHints} in place of the hints found in its comments: the hints a router honours
     * are those the chain attached to the request (hintfilter attaches the statement's own; namedserverfilter its
     * rules').
     */
    public QueryInfo withHints(List<Hint> requestHints) {
        if (requestHints.isEmpty() && hints.isEmpty()) {
            return this;
        }
        return new QueryInfo(types, operation, tables, databases, functions, preparedName, prepared, multiStatement,
                List.copyOf(requestHints), canonical);
    }
}
