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
        return isCompound(t, from) ? compoundEnd(t, from, count) : simpleEnd(t, from);
    }

    /** The first {@code ;} from {@code from}, or the token count. */
    private static int simpleEnd(Tokens t, int from) {
        int count = t.count();
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
            case CREATE, ALTER -> {
                return createsProgram(t, from);
            }
            case SET -> {
                // SET STATEMENT var=value FOR CREATE PROCEDURE ...
                if (t.kw(from + 1) != Keyword.STATEMENT) {
                    return false;
                }
                int limit = simpleEnd(t, from);
                int inner = t.topLevelKeyword(from + 2, limit, Keyword.FOR);
                return inner < limit && t.kw(inner + 1) != Keyword.SET && isCompound(t, inner + 1);
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
                case REPEAT, IF -> {
                    if (!afterEnd && opensBlock(t, i, from)) {
                        depth++;
                    }
                }
                case FOR -> {
                    if (!afterEnd && t.isIdentifier(i + 1) && t.kw(i + 2) == Keyword.IN) {
                        depth++;
                    }
                }
                case END -> {
                    // BACKUP STAGE END is a statement, not the end of a block.
                    if (!t.wordIs(i - 1, "stage")) {
                        depth = Math.max(0, depth - 1);
                    }
                }
                default -> { }
            }
        }
        return count;
    }

    /**
     * IF and REPEAT start a block where a statement may start; elsewhere unless they are the IF() or REPEAT()
     * function, or the IF [NOT] EXISTS of a DDL statement.
     */
    private static boolean opensBlock(Tokens t, int i, int from) {
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
        // After ")" only a routine body can follow (CREATE PROCEDURE p(x INT) REPEAT ...): an expression cannot.
        if (previous == TokenType.SEMICOLON || previous == TokenType.COLON || previous == TokenType.RPAREN) {
            return true;
        }
        return switch (t.kw(i - 1)) {
            case BEGIN, ATOMIC, THEN, ELSE, DO, LOOP, REPEAT, ROW -> true;
            default -> false;
        };
    }
}
