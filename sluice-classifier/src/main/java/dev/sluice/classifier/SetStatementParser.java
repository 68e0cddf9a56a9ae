package dev.sluice.classifier;

import dev.sluice.api.query.Operation;
import dev.sluice.api.query.QueryType;

/**
 * Classifies {@code SET} statements: assignment lists of user and system variables (with GLOBAL/SESSION/LOCAL
 * scopes and {@code @@scope.name} prefixes), autocommit in every spelling, isolation level and access mode through
 * variables or {@code SET [scope] TRANSACTION}, SET NAMES / CHARACTER SET, SET PASSWORD / ROLE, and delegates the
 * statement of {@code SET STATEMENT ... FOR stmt}.
 *
 * <p>Thread rules: confined to the worker that owns the {@link StatementClassifier}.
 */
final class SetStatementParser {
    /** The scope an assignment applies to; a scope keyword carries over to later assignments of the list. */
    private enum Scope { SESSION, GLOBAL }

    private final ClauseScanner scanner;

    SetStatementParser(ClauseScanner scanner) {
        this.scanner = scanner;
    }

    /**
     * Classifies the SET statement in tokens {@code [from, to)} ({@code from} is the SET keyword). Returns the index
     * of the inner statement of {@code SET STATEMENT ... FOR}, or -1 when the statement is fully handled.
     */
    int parse(Tokens t, InfoBuilder out, int from, int to) {
        int i = from + 1;
        Keyword first = t.kw(i);
        if (first == Keyword.STATEMENT) {
            return statementFor(t, out, i + 1, to);
        }
        out.operation(Operation.SET);
        switch (first) {
            case TRANSACTION -> {
                transaction(t, out, i + 1, true, true);
                return -1;
            }
            case GLOBAL, SESSION, LOCAL -> {
                if (t.kw(i + 1) == Keyword.TRANSACTION) {
                    transaction(t, out, i + 2, first != Keyword.GLOBAL, false);
                    return -1;
                }
            }
            case NAMES, CHARACTER, CHARSET, ROLE -> {
                out.add(QueryType.SESSION_WRITE);
                return -1;
            }
            case PASSWORD, DEFAULT -> {
                out.add(QueryType.WRITE);
                return -1;
            }
            default -> { }
        }
        assignments(t, out, i, to);
        return -1;
    }

    /** SET STATEMENT var=value [, ...] FOR stmt: only the inner statement's classification matters. */
    private int statementFor(Tokens t, InfoBuilder out, int i, int to) {
        int j = t.topLevelKeyword(i, to, Keyword.FOR);
        if (j == to) {
            out.add(QueryType.UNKNOWN);
            return -1;
        }
        scanner.scan(t, out, i, j, ClauseScanner.TableState.NONE, false, false);
        return j + 1;
    }

    private void transaction(Tokens t, InfoBuilder out, int i, boolean affectsSession, boolean nextOnly) {
        out.add(QueryType.SESSION_WRITE);
        if (!affectsSession) {
            return;
        }
        long bits = nextOnly ? QueryType.NEXT_TRX : 0;
        while (t.type(i) != TokenType.SEMICOLON) {
            Keyword kw = t.kw(i);
            if (kw == Keyword.ISOLATION && t.kw(i + 1) == Keyword.LEVEL) {
                bits |= QueryType.ISOLATION_LEVEL;
                if (t.kw(i + 2) == Keyword.SERIALIZABLE) {
                    bits |= QueryType.SERIALIZABLE;
                }
                i += 3;
            } else if (kw == Keyword.READ && t.kw(i + 1) == Keyword.ONLY) {
                bits |= QueryType.TRX_READ_ONLY;
                i += 2;
            } else if (kw == Keyword.READ && t.kw(i + 1) == Keyword.WRITE) {
                bits |= QueryType.TRX_READ_WRITE;
                i += 2;
            } else {
                i++;
            }
        }
        out.add(bits);
    }

    private void assignments(Tokens t, InfoBuilder out, int i, int to) {
        Scope scope = Scope.SESSION;
        while (i < to) {
            // global.key_buffer_size is a structured variable named "global", not a scope keyword.
            Keyword kw = t.type(i + 1) == TokenType.DOT ? Keyword.NONE : t.kw(i);
            if (kw == Keyword.GLOBAL || kw == Keyword.PERSIST) {
                scope = Scope.GLOBAL;
                i++;
                continue;
            }
            if (kw == Keyword.SESSION || kw == Keyword.LOCAL) {
                scope = Scope.SESSION;
                i++;
                continue;
            }
            int target = i;
            int valueStart = skipTarget(t, i);
            if (t.type(valueStart) == TokenType.EQUALS || t.type(valueStart) == TokenType.ASSIGN) {
                valueStart++;
            }
            int valueEnd = t.topLevelComma(valueStart, to);
            assignment(t, out, target, scope, valueStart, valueEnd);
            scanner.scan(t, out, valueStart, valueEnd, ClauseScanner.TableState.NONE, false, false);
            i = valueEnd + 1;
        }
    }

    /** The index after an assignment target: {@code @u}, {@code @@x}, {@code name}, {@code name.key}. */
    private static int skipTarget(Tokens t, int i) {
        if (t.isIdentifier(i) && t.type(i + 1) == TokenType.DOT && t.isIdentifier(i + 2)) {
            return i + 3;
        }
        return i + 1;
    }

    private void assignment(Tokens t, InfoBuilder out, int target, Scope scope, int valueStart, int valueEnd) {
        TokenType type = t.type(target);
        if (type == TokenType.USER_VAR) {
            out.add(QueryType.USERVAR_WRITE);
            return;
        }
        if (!t.isIdentifier(target) && type != TokenType.SYS_VAR) {
            out.add(QueryType.UNKNOWN);
            return;
        }
        out.add(QueryType.SESSION_WRITE);
        byte[] buf = t.bytes();
        int start = t.start(target);
        int end = t.tokenEnd(target);
        if (type == TokenType.SYS_VAR) {
            start += 2;
            int dot = indexOf(buf, start, end, (byte) '.');
            if (dot >= 0) {
                scope = Names.equalsLowerAscii(buf, start, dot, "global") ? Scope.GLOBAL : Scope.SESSION;
                start = dot + 1;
            }
        }
        if (scope == Scope.GLOBAL) {
            return;
        }
        if (Names.equalsLowerAscii(buf, start, end, "autocommit")) {
            out.add(booleanValue(t, valueStart, valueEnd) == Truth.TRUE ? QueryType.ENABLE_AUTOCOMMIT
                    : QueryType.DISABLE_AUTOCOMMIT);
        } else if (Names.equalsLowerAscii(buf, start, end, "tx_isolation")
                || Names.equalsLowerAscii(buf, start, end, "transaction_isolation")) {
            out.add(QueryType.ISOLATION_LEVEL);
            if (valueEnd == valueStart + 1 && valueIs(t, valueStart, "serializable")) {
                out.add(QueryType.SERIALIZABLE);
            }
        } else if (Names.equalsLowerAscii(buf, start, end, "tx_read_only")
                || Names.equalsLowerAscii(buf, start, end, "transaction_read_only")) {
            Truth truth = booleanValue(t, valueStart, valueEnd);
            out.add(truth == Truth.FALSE ? QueryType.TRX_READ_WRITE : QueryType.TRX_READ_ONLY);
        }
    }

    private static int indexOf(byte[] buf, int start, int end, byte b) {
        for (int p = start; p < end; p++) {
            if (buf[p] == b) {
                return p;
            }
        }
        return -1;
    }

    /** A boolean system-variable value as MariaDB reads it; anything but a plain constant is {@link #UNKNOWN}. */
    private enum Truth { TRUE, FALSE, UNKNOWN }

    private static Truth booleanValue(Tokens t, int start, int end) {
        if (end != start + 1) {
            return Truth.UNKNOWN;
        }
        if (valueIs(t, start, "1") || valueIs(t, start, "on") || valueIs(t, start, "true")) {
            return Truth.TRUE;
        }
        if (valueIs(t, start, "0") || valueIs(t, start, "off") || valueIs(t, start, "false")) {
            return Truth.FALSE;
        }
        return Truth.UNKNOWN;
    }

    /** Whether one token (a word, number or quoted string) spells {@code lower}, ignoring case. */
    private static boolean valueIs(Tokens t, int i, String lower) {
        TokenType type = t.type(i);
        byte[] buf = t.bytes();
        int start = t.start(i);
        int end = t.tokenEnd(i);
        if (type == TokenType.STRING) {
            if (end - start < 2 || buf[start] != buf[end - 1] || (buf[start] != '\'' && buf[start] != '"')) {
                return false;
            }
            return Names.equalsLowerAscii(buf, start + 1, end - 1, lower);
        }
        return (type == TokenType.WORD || type == TokenType.NUMBER) && Names.equalsLowerAscii(buf, start, end, lower);
    }
}
