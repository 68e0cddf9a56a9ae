package dev.sluice.classifier;

/**
 * Finds where one statement of a multi-statement ends. Usually at the next {@code ;}; but a stored program body
 * (CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT/PACKAGE) or an anonymous compound statement (BEGIN NOT ATOMIC, IF,
 * CASE, LOOP, WHILE, REPEAT, FOR) keeps its inner {@code ;} — clients send these without DELIMITER — so there the
 * end is the first {@code ;} outside every BEGIN...END, IF...END IF, CASE...END [CASE], LOOP/WHILE/REPEAT/FOR
 * ...END X block. Unbalanced blocks run to the end of the input. One pass, constant look-ahead. Stateless.
 */
final class StatementBoundary {
    /** How far past CREATE to look for the kind of object (DEFINER, OR REPLACE, SQL SECURITY...). */
    private static final int CREATE_LOOKAHEAD = 16;

    private StatementBoundary() {
    }

    /** The index of the {@code ;} that ends the statement starting at {@code from}, or the token count. */
    static int end(Tokens t, int from) {
        int count = t.count();
        if (isCompound(t, from)) {
            return compoundEnd(t, from, count);
        }
        for (int i = from; i < count; i++) {
            if (t.type(i) == TokenType.SEMICOLON) {
                return i;
            }
        }
        return count;
    }

    /** Whether the statement at {@code from} may contain a compound body. */
    static boolean isCompound(Tokens t, int from) {
        Keyword first = t.kw(from);
        switch (first) {
            case CREATE -> {
                return createsProgram(t, from);
            }
            case BEGIN -> {
                return t.kw(from + 1) == Keyword.NOT;
            }
            case IF, CASE, LOOP, WHILE, REPEAT, FOR -> {
                return true;
            }
            default -> {
                return t.isIdentifier(from) && t.type(from + 1) == TokenType.COLON;
            }
        }
    }

    private static boolean createsProgram(Tokens t, int from) {
        int limit = Math.min(t.count(), from + CREATE_LOOKAHEAD);
        for (int i = from + 1; i < limit; i++) {
            switch (t.kw(i)) {
                case PROCEDURE, FUNCTION, TRIGGER, EVENT, PACKAGE -> {
                    return true;
                }
                case TABLE, VIEW, INDEX, DATABASE, SCHEMA, SEQUENCE, USER, ROLE -> {
                    return false;
                }
                default -> {
                    if (t.type(i) == TokenType.LPAREN || t.type(i) == TokenType.SEMICOLON) {
                        return false;
                    }
                }
            }
        }
        return false;
    }

    private static int compoundEnd(Tokens t, int from, int count) {
        int depth = 0;
        for (int i = from; i < count; i++) {
            TokenType type = t.type(i);
            if (type == TokenType.SEMICOLON) {
                if (depth == 0) {
                    return i;
                }
                continue;
            }
            Keyword kw = t.kw(i);
            boolean afterEnd = t.kw(i - 1) == Keyword.END && i - 1 >= from;
            switch (kw) {
                case BEGIN -> {
                    Keyword next = t.kw(i + 1);
                    if (next != Keyword.WORK && t.type(i + 1) != TokenType.SEMICOLON) {
                        depth++;
                    }
                }
                case CASE, LOOP, WHILE -> {
                    if (!afterEnd) {
                        depth++;
                    }
                }
                case REPEAT -> {
                    if (!afterEnd && t.type(i + 1) != TokenType.LPAREN) {
                        depth++;
                    }
                }
                case IF -> {
                    if (!afterEnd && opensIfBlock(t, i, from)) {
                        depth++;
                    }
                }
                case FOR -> {
                    if (!afterEnd && t.isIdentifier(i + 1) && t.kw(i + 2) == Keyword.IN) {
                        depth++;
                    }
                }
                case END -> depth = Math.max(0, depth - 1);
                default -> { }
            }
        }
        return count;
    }

    /**
     * IF starts a block where a statement may start; elsewhere unless it is the IF() function or the IF [NOT]
     * EXISTS of a DDL statement.
     */
    private static boolean opensIfBlock(Tokens t, int i, int from) {
        if (statementPosition(t, i, from)) {
            return true;
        }
        if (t.type(i + 1) == TokenType.LPAREN) {
            return false;
        }
        return t.kw(i + 1) != Keyword.EXISTS && !(t.kw(i + 1) == Keyword.NOT && t.kw(i + 2) == Keyword.EXISTS);
    }

    private static boolean statementPosition(Tokens t, int i, int from) {
        if (i == from) {
            return true;
        }
        TokenType previous = t.type(i - 1);
        if (previous == TokenType.SEMICOLON || previous == TokenType.COLON) {
            return true;
        }
        return switch (t.kw(i - 1)) {
            case BEGIN, THEN, ELSE, DO, LOOP, REPEAT, ROW -> true;
            default -> false;
        };
    }
}
