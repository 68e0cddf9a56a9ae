package dev.sluice.api.query;

import java.util.Objects;
import java.util.Set;

/**
 * The session state that changes how a statement reads: the lexical {@code sql_mode} flags, the server version
 * that decides which {@code /*!NNNNN ... *&#47;} comments execute, and the session's temporary tables. Immutable; a
 * session builds a new one when one of these changes (rarely) and passes the same instance with every statement.
 *
 * @param ansiQuotes          {@code sql_mode} has ANSI_QUOTES: {@code "x"} is an identifier, not a string
 * @param noBackslashEscapes  {@code sql_mode} has NO_BACKSLASH_ESCAPES: backslash is an ordinary character in strings
 * @param serverVersion       the backend version as MariaDB writes it in executable comments, e.g. 110405 for
 *                            11.4.5; {@code /*!50700 x *&#47;} and {@code /*M!100500 x *&#47;} run when their version
 *                            is not above it
 * @param temporaryTables     names of the temporary tables this session has created, as written in the CREATE
 *                            (qualified {@code db.t} or not); a statement naming one gets
 *                            {@link QueryType#READ_TMP_TABLE}
 */
public record QueryContext(boolean ansiQuotes, boolean noBackslashEscapes, int serverVersion,
                           Set<String> temporaryTables) {
    /** The version assumed when none is known: every executable comment of a current MariaDB runs. */
    public static final int LATEST_VERSION = 999999;

    /** Default {@code sql_mode} lexing, latest server, no temporary tables. */
    public static final QueryContext DEFAULT = new QueryContext(false, false, LATEST_VERSION, Set.of());

    public QueryContext {
        temporaryTables = Set.copyOf(Objects.requireNonNull(temporaryTables, "temporaryTables"));
    }

    public QueryContext withTemporaryTables(Set<String> tables) {
        return new QueryContext(ansiQuotes, noBackslashEscapes, serverVersion, tables);
    }

    public QueryContext withSqlMode(boolean ansi, boolean noBackslash) {
        return new QueryContext(ansi, noBackslash, serverVersion, temporaryTables);
    }

    public QueryContext withServerVersion(int version) {
        return new QueryContext(ansiQuotes, noBackslashEscapes, version, temporaryTables);
    }
}
