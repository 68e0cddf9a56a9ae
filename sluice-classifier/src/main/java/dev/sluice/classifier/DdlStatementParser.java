package dev.sluice.classifier;

import dev.sluice.api.query.Operation;
import dev.sluice.api.query.QueryType;

/**
 * Classifies data definition and account statements: CREATE, ALTER, DROP, RENAME, TRUNCATE, GRANT and REVOKE. All
 * are writes with an implicit commit, except CREATE/DROP TEMPORARY TABLE which only create or drop the session's
 * table. Records the tables, views, sequences and databases named; stored program bodies are not looked into
 * (creating a procedure touches none of the tables it names). Thread rules: confined to the owning worker.
 */
final class DdlStatementParser {
    private final ClauseScanner scanner;

    DdlStatementParser(ClauseScanner scanner) {
        this.scanner = scanner;
    }

    void create(Tokens t, InfoBuilder out, int from, int to) {
        out.operation(Operation.CREATE);
        int i = skipCreateModifiers(t, from + 1);
        boolean temporary = t.kw(i) == Keyword.TEMPORARY;
        if (temporary) {
            i++;
        }
        Keyword object = t.kw(i);
        out.add(temporary && object == Keyword.TABLE ? QueryType.CREATE_TMP_TABLE | QueryType.WRITE
                : QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
        switch (object) {
            case TABLE -> createTable(t, out, skipIfExists(t, i + 1), to);
            case VIEW -> {
                objectName(t, out, skipIfExists(t, i + 1));
                selectAfter(t, out, i + 1, to);
            }
            case DATABASE, SCHEMA -> databaseName(t, out, skipIfExists(t, i + 1));
            case SEQUENCE -> objectName(t, out, skipIfExists(t, i + 1));
            case INDEX -> tableAfterOn(t, out, i + 1, to);
            case TRIGGER -> tableAfterOn(t, out, i + 1, to);
            default -> { }
        }
    }

    /** Skips OR REPLACE, DEFINER = account, SQL SECURITY x, ALGORITHM = x, AGGREGATE, UNIQUE, ONLINE... */
    private static int skipCreateModifiers(Tokens t, int i) {
        while (true) {
            Keyword kw = t.kw(i);
            if (kw == Keyword.OR && t.kw(i + 1) == Keyword.REPLACE) {
                i += 2;
            } else if (kw == Keyword.DEFINER || kw == Keyword.ALGORITHM) {
                i = skipAccount(t, t.type(i + 1) == TokenType.EQUALS ? i + 2 : i + 1);
            } else if (kw == Keyword.SQL && t.kw(i + 1) == Keyword.SECURITY) {
                i += 3;
            } else if (kw == Keyword.AGGREGATE || kw == Keyword.UNIQUE || t.wordIs(i, "fulltext")
                    || t.wordIs(i, "spatial") || t.wordIs(i, "online") || t.wordIs(i, "offline")) {
                i++;
            } else {
                return i;
            }
        }
    }

    /** Skips {@code 'user'@'host'}, {@code user@host}, {@code CURRENT_USER[()]} or a single word. */
    private static int skipAccount(Tokens t, int i) {
        int j = i + 1;
        if (t.type(j) == TokenType.LPAREN && t.type(j + 1) == TokenType.RPAREN) {
            j += 2;
        }
        if (t.type(j) == TokenType.OPERATOR && t.tokenEnd(j) - t.start(j) == 1 && t.bytes()[t.start(j)] == '@') {
            j += 2;
        }
        return j;
    }

    private static int skipIfExists(Tokens t, int i) {
        if (t.kw(i) == Keyword.IF) {
            i++;
            if (t.kw(i) == Keyword.NOT) {
                i++;
            }
            if (t.kw(i) == Keyword.EXISTS) {
                i++;
            }
        }
        return i;
    }

    private void createTable(Tokens t, InfoBuilder out, int i, int to) {
        int j = objectName(t, out, i);
        if (t.kw(j) == Keyword.LIKE) {
            objectName(t, out, j + 1);
            return;
        }
        if (t.type(j) == TokenType.LPAREN) {
            if (t.kw(j + 1) == Keyword.LIKE) {
                objectName(t, out, j + 2);
                return;
            }
            if (t.kw(j + 1) != Keyword.SELECT && t.kw(j + 1) != Keyword.WITH) {
                j = t.skipParens(j);
            }
        }
        selectAfter(t, out, j, to);
    }

    /** Scans the query of CREATE TABLE ... [AS] SELECT, CREATE VIEW ... AS SELECT, from its first SELECT/WITH. */
    private void selectAfter(Tokens t, InfoBuilder out, int i, int to) {
        for (int j = i; j < to; j++) {
            Keyword kw = t.kw(j);
            if (kw == Keyword.SELECT || kw == Keyword.WITH || kw == Keyword.VALUES) {
                int start = t.type(j - 1) == TokenType.LPAREN ? j - 1 : j;
                scanner.scan(t, out, start, to, ClauseScanner.TableState.NONE, false, false);
                return;
            }
        }
    }

    /** Records the table named by CREATE INDEX ... ON t, CREATE TRIGGER ... ON t. */
    private static void tableAfterOn(Tokens t, InfoBuilder out, int i, int to) {
        for (int j = i; j < to; j++) {
            if (t.kw(j) == Keyword.ON) {
                objectName(t, out, j + 1);
                return;
            }
        }
    }

    void alter(Tokens t, InfoBuilder out, int from, int to) {
        out.operation(Operation.ALTER);
        out.add(QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
        int i = skipCreateModifiers(t, from + 1);
        if (t.kw(i) == Keyword.IGNORE) {
            i++;
        }
        switch (t.kw(i)) {
            case TABLE, SEQUENCE -> {
                objectName(t, out, skipIfExists(t, i + 1));
                for (int j = i + 2; j < to; j++) {
                    if (t.kw(j) == Keyword.RENAME && t.kw(j + 1) != Keyword.INDEX && t.kw(j + 1) != Keyword.KEY
                            && !t.wordIs(j + 1, "column")) {
                        int k = (t.kw(j + 1) == Keyword.TO || t.kw(j + 1) == Keyword.AS) ? j + 2 : j + 1;
                        objectName(t, out, k);
                        break;
                    }
                }
            }
            case VIEW -> {
                objectName(t, out, i + 1);
                selectAfter(t, out, i + 1, to);
            }
            case DATABASE, SCHEMA -> {
                if (t.isName(i + 1)) {
                    databaseName(t, out, i + 1);
                }
            }
            default -> { }
        }
    }

    void drop(Tokens t, InfoBuilder out, int from, int to) {
        out.operation(Operation.DROP);
        int i = from + 1;
        boolean temporary = t.kw(i) == Keyword.TEMPORARY;
        if (temporary) {
            i++;
        }
        Keyword object = t.kw(i);
        out.add(temporary ? QueryType.DROP_TMP_TABLE | QueryType.WRITE : QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
        switch (object) {
            case TABLE, TABLES, VIEW, SEQUENCE -> nameList(t, out, skipIfExists(t, i + 1), to);
            case DATABASE, SCHEMA -> databaseName(t, out, skipIfExists(t, i + 1));
            case INDEX -> tableAfterOn(t, out, i + 1, to);
            default -> { }
        }
    }

    void rename(Tokens t, InfoBuilder out, int from, int to) {
        out.operation(Operation.RENAME);
        out.add(QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
        if (t.kw(from + 1) == Keyword.TABLE) {
            nameList(t, out, from + 2, to);
        }
    }

    void truncate(Tokens t, InfoBuilder out, int from, int to) {
        out.operation(Operation.TRUNCATE);
        out.add(QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
        int i = t.kw(from + 1) == Keyword.TABLE ? from + 2 : from + 1;
        objectName(t, out, i);
    }

    /** GRANT/REVOKE privileges ON [TABLE|FUNCTION|PROCEDURE] level: records {@code db.t}, {@code t}, {@code db.*}. */
    void grant(Tokens t, InfoBuilder out, int from, int to, Operation op) {
        out.operation(op);
        out.add(QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
        for (int j = from + 1; j < to; j++) {
            if (t.kw(j) == Keyword.ON) {
                int k = j + 1;
                Keyword kind = t.kw(k);
                if (kind == Keyword.FUNCTION || kind == Keyword.PROCEDURE || kind == Keyword.PACKAGE) {
                    return;
                }
                if (kind == Keyword.TABLE) {
                    k++;
                }
                if (t.isIdentifier(k) && t.type(k + 1) == TokenType.DOT && t.type(k + 2) == TokenType.OPERATOR) {
                    out.database(t.name(k));
                } else if (t.isIdentifier(k)) {
                    objectName(t, out, k);
                }
                return;
            }
        }
    }

    /** {@code name [TO name] [, name [TO name]]...} for DROP TABLE, RENAME TABLE, DROP VIEW. */
    private static void nameList(Tokens t, InfoBuilder out, int i, int to) {
        while (i < to && t.isIdentifier(i)) {
            i = objectName(t, out, i);
            if (t.kw(i) == Keyword.TO) {
                i = objectName(t, out, i + 1);
            }
            if (t.type(i) != TokenType.COMMA) {
                return;
            }
            i++;
        }
    }

    /** Records a possibly qualified table-like name at {@code i}; returns the index after it. */
    static int objectName(Tokens t, InfoBuilder out, int i) {
        if (!t.isIdentifier(i)) {
            return i;
        }
        if (t.type(i + 1) == TokenType.DOT && t.isIdentifier(i + 2)) {
            out.qualifiedTable(t.name(i), t.name(i + 2));
            return i + 3;
        }
        out.table(t.name(i));
        return i + 1;
    }

    private static void databaseName(Tokens t, InfoBuilder out, int i) {
        if (t.isIdentifier(i)) {
            out.database(t.name(i));
        }
    }
}
