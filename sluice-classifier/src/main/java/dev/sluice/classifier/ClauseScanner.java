package dev.sluice.classifier;

import dev.sluice.api.query.QueryType;

/**
 * Walks the tokens of a DML statement (or any part of one) once and records what they touch: tables in FROM,
 * JOIN, INTO, UPDATE and USING lists at any nesting depth, variables read and assigned, functions called,
 * sequences, {@code SELECT ... INTO}, and locking reads.
 *
 * <p>Table references are found with a small state machine per parenthesis depth ({@link TableState}); depths
 * beyond {@link #MAX_TRACKED_DEPTH} are still counted but not tracked, so deep nesting costs no more than flat
 * text. Each token is visited once, with constant look-ahead.
 *
 * <p>Thread rules: keeps its per-depth arrays between calls; confined to the worker that owns it.
 */
final class ClauseScanner {
    /** Where the scan stands in a table reference list at one depth. */
    enum TableState {
        /** Not in a table list (select list, WHERE, SET, VALUES...). */
        NONE,
        /** The next name is a table: after FROM, JOIN, INTO, UPDATE, a comma in a table list. */
        EXPECT_TABLE,
        /** A table (or derived table) was just named; an alias may follow. */
        AFTER_TABLE,
        /** The alias was read. */
        AFTER_ALIAS,
        /** In the ON or USING condition of a join. */
        JOIN_CONDITION
    }

    /** What opened a parenthesis. */
    private enum Paren { PLAIN, FUNCTION, TABLE }

    static final int MAX_TRACKED_DEPTH = 64;

    private final TableState[] states = new TableState[MAX_TRACKED_DEPTH + 1];
    private final Paren[] parens = new Paren[MAX_TRACKED_DEPTH + 1];
    private int depth;

    private Tokens tokens;
    private InfoBuilder out;
    /** INTO introduces a table (INSERT, REPLACE, LOAD) rather than SELECT ... INTO. */
    private boolean intoIsTable;
    /** USING introduces a table list (multi-table DELETE). */
    private boolean usingIsTable;

    /**
     * Scans tokens {@code [from, to)}.
     *
     * @param initial     the table state at depth 0 (EXPECT_TABLE right after INSERT INTO, UPDATE, ...)
     * @param intoIsTable INTO names the target table (INSERT, REPLACE, LOAD) instead of SELECT ... INTO targets
     * @param usingIsTable USING starts a table list (DELETE ... USING)
     */
    void scan(Tokens tokens, InfoBuilder out, int from, int to, TableState initial, boolean intoIsTable,
              boolean usingIsTable) {
        this.tokens = tokens;
        this.out = out;
        this.intoIsTable = intoIsTable;
        this.usingIsTable = usingIsTable;
        depth = 0;
        states[0] = initial;
        parens[0] = Paren.PLAIN;
        int i = from;
        while (i < to) {
            i = step(i);
        }
    }

    private TableState state() {
        return depth <= MAX_TRACKED_DEPTH ? states[depth] : TableState.NONE;
    }

    private void state(TableState state) {
        if (depth <= MAX_TRACKED_DEPTH) {
            states[depth] = state;
        }
    }

    private Paren paren() {
        return depth <= MAX_TRACKED_DEPTH ? parens[depth] : Paren.PLAIN;
    }

    private void open(Paren kind, TableState inner) {
        depth++;
        if (depth <= MAX_TRACKED_DEPTH) {
            parens[depth] = kind;
            states[depth] = inner;
        }
    }

    /** Handles the token at {@code i}; returns the index of the next token to look at. */
    private int step(int i) {
        switch (tokens.type(i)) {
            case LPAREN -> {
                if (state() == TableState.EXPECT_TABLE) {
                    open(Paren.TABLE, TableState.EXPECT_TABLE);
                } else {
                    open(Paren.PLAIN, TableState.NONE);
                }
                return i + 1;
            }
            case RPAREN -> {
                if (depth > 0) {
                    Paren closed = paren();
                    depth--;
                    if (closed == Paren.TABLE) {
                        state(TableState.AFTER_TABLE);
                    }
                }
                return i + 1;
            }
            case COMMA -> {
                TableState s = state();
                if (s == TableState.AFTER_TABLE || s == TableState.AFTER_ALIAS || s == TableState.JOIN_CONDITION) {
                    state(TableState.EXPECT_TABLE);
                }
                return i + 1;
            }
            case USER_VAR -> {
                out.add(tokens.type(i + 1) == TokenType.ASSIGN ? QueryType.USERVAR_WRITE : QueryType.USERVAR_READ);
                return i + 1;
            }
            case SYS_VAR -> {
                systemVariable(i);
                return i + 1;
            }
            case WORD, QUOTED_IDENT -> {
                return identifierOrKeyword(i);
            }
            default -> {
                return i + 1;
            }
        }
    }

    private void systemVariable(int i) {
        out.add(QueryType.SYSVAR_READ);
        byte[] buf = tokens.bytes();
        int start = tokens.start(i) + 2;
        int end = tokens.tokenEnd(i);
        for (int p = end - 1; p >= start; p--) {
            if (buf[p] == '.') {
                start = p + 1;
                break;
            }
        }
        if (Names.equalsLowerAscii(buf, start, end, "last_insert_id")
                || Names.equalsLowerAscii(buf, start, end, "identity")) {
            out.add(QueryType.MASTER_READ);
        }
    }

    private int identifierOrKeyword(int i) {
        Keyword kw = tokens.kw(i);
        TableState s = state();
        boolean call = tokens.type(i) == TokenType.WORD && tokens.type(i + 1) == TokenType.LPAREN
                && !kw.notFunction;
        if (s == TableState.EXPECT_TABLE && !kw.reserved) {
            if (call && tokens.wordIs(i, "json_table")) {
                // A table function: JSON_TABLE(...) AS jt.
                function(i);
                state(TableState.AFTER_TABLE);
                open(Paren.FUNCTION, TableState.NONE);
                return i + 2;
            }
            int next = table(i);
            state(TableState.AFTER_TABLE);
            return next;
        }
        if (s == TableState.AFTER_TABLE && tokens.isName(i) && tokens.type(i + 1) != TokenType.LPAREN) {
            state(TableState.AFTER_ALIAS);
            return i + 1;
        }
        if (call) {
            function(i);
            open(Paren.FUNCTION, TableState.NONE);
            return i + 2;
        }
        return keyword(i, kw, s);
    }

    private int keyword(int i, Keyword kw, TableState s) {
        switch (kw) {
            case NONE -> {
                if (tokens.type(i - 1) == TokenType.DOT) {
                    oracleSequence(i);
                } else if (tokens.type(i) == TokenType.WORD
                        && FunctionCatalog.isNiladic(tokens.bytes(), tokens.start(i), tokens.tokenEnd(i))) {
                    function(i);
                }
            }
            case FROM -> {
                if (paren() != Paren.FUNCTION) {
                    state(TableState.EXPECT_TABLE);
                }
            }
            case JOIN, STRAIGHT_JOIN -> {
                if (s != TableState.NONE) {
                    state(TableState.EXPECT_TABLE);
                }
            }
            case ON -> {
                if (tokens.kw(i + 1) == Keyword.DUPLICATE) {
                    state(TableState.NONE);
                } else if (s != TableState.NONE) {
                    state(TableState.JOIN_CONDITION);
                }
            }
            case USING -> {
                if (usingIsTable && tokens.type(i + 1) != TokenType.LPAREN && depth == 0) {
                    state(TableState.EXPECT_TABLE);
                } else if (s != TableState.NONE) {
                    state(TableState.JOIN_CONDITION);
                }
            }
            case AS -> {
                if (s == TableState.AFTER_TABLE && tokens.isIdentifier(i + 1)) {
                    state(TableState.AFTER_ALIAS);
                    return i + 2;
                }
            }
            case INTO -> {
                return into(i);
            }
            case FOR -> {
                Keyword next = tokens.kw(i + 1);
                if (next == Keyword.UPDATE || next == Keyword.SHARE) {
                    out.add(QueryType.LOCKING_READ);
                    state(TableState.NONE);
                    return i + 2;
                }
                if (next == Keyword.JOIN || next == Keyword.ORDER || next == Keyword.GROUP) {
                    return i + 2;
                }
            }
            case LOCK -> {
                if (tokens.kw(i + 1) == Keyword.IN) {
                    out.add(QueryType.LOCKING_READ);
                    state(TableState.NONE);
                }
            }
            case NEXT, PREVIOUS -> {
                return sequenceValue(i, kw);
            }
            case SELECT -> {
                // IF (SELECT ...) and the like: a query directly inside call parentheses is a subquery.
                if (paren() == Paren.FUNCTION && depth <= MAX_TRACKED_DEPTH) {
                    parens[depth] = Paren.PLAIN;
                }
                state(TableState.NONE);
            }
            case WHERE, GROUP, HAVING, ORDER, LIMIT, WINDOW, UNION, EXCEPT, INTERSECT, SET, VALUES, VALUE,
                 RETURNING, FETCH, PROCEDURE, DUPLICATE, WITH -> state(TableState.NONE);
            default -> { }
        }
        return i + 1;
    }

    /** A table name at {@code i}, possibly qualified; returns the index after it. */
    private int table(int i) {
        if (tokens.type(i + 1) == TokenType.DOT && tokens.isIdentifier(i + 2)) {
            out.qualifiedTable(tokens.name(i), tokens.name(i + 2));
            return i + 3;
        }
        out.table(tokens.name(i));
        return i + 1;
    }

    private void function(int i) {
        String name = Names.lowerCase(tokens.bytes(), tokens.start(i), tokens.tokenEnd(i));
        long flags = FunctionCatalog.flags(name);
        out.function(name, flags & ~FunctionCatalog.SEQUENCE_ARGUMENT);
        if ((flags & FunctionCatalog.SEQUENCE_ARGUMENT) != 0 && tokens.isIdentifier(i + 2)) {
            table(i + 2);
        }
    }

    private int into(int i) {
        Keyword next = tokens.kw(i + 1);
        if (intoIsTable && depth == 0) {
            state(TableState.EXPECT_TABLE);
            return next == Keyword.TABLE ? i + 2 : i + 1;
        }
        out.add(QueryType.SELECT_INTO);
        state(TableState.NONE);
        int j = i + 1;
        if (next == Keyword.OUTFILE || next == Keyword.DUMPFILE) {
            return j + 1;
        }
        // INTO @a, @b or INTO local_variable, ...: these are assignments, not reads.
        while (tokens.type(j) == TokenType.USER_VAR || tokens.isName(j)) {
            if (tokens.type(j) == TokenType.USER_VAR) {
                out.add(QueryType.USERVAR_WRITE);
            }
            j++;
            if (tokens.type(j) != TokenType.COMMA) {
                break;
            }
            j++;
        }
        return j;
    }

    /** {@code seq.nextval} / {@code seq.currval} ({@code db.seq.nextval} too), the Oracle-mode sequence syntax. */
    private void oracleSequence(int i) {
        boolean next = tokens.wordIs(i, "nextval");
        if (!(next || tokens.wordIs(i, "currval")) || !tokens.isIdentifier(i - 2)) {
            return;
        }
        out.add(next ? QueryType.WRITE | QueryType.MASTER_READ | QueryType.NON_DETERMINISTIC
                : QueryType.MASTER_READ | QueryType.NON_DETERMINISTIC);
        if (tokens.type(i - 3) == TokenType.DOT && tokens.isIdentifier(i - 4)) {
            out.qualifiedTable(tokens.name(i - 4), tokens.name(i - 2));
        } else {
            out.table(tokens.name(i - 2));
        }
    }

    /** NEXT VALUE FOR seq and PREVIOUS VALUE FOR seq (NEXT alone is only a word). */
    private int sequenceValue(int i, Keyword kw) {
        if (tokens.kw(i + 1) != Keyword.VALUE || tokens.kw(i + 2) != Keyword.FOR || !tokens.isIdentifier(i + 3)) {
            return i + 1;
        }
        out.add(kw == Keyword.NEXT ? QueryType.WRITE | QueryType.MASTER_READ | QueryType.NON_DETERMINISTIC
                : QueryType.MASTER_READ | QueryType.NON_DETERMINISTIC);
        return table(i + 3);
    }
}
