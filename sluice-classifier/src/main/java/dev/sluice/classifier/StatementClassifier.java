package dev.sluice.classifier;

import dev.sluice.api.query.Hint;
import dev.sluice.api.query.Operation;
import dev.sluice.api.query.QueryInfo;
import dev.sluice.api.query.QueryType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies the SQL text of one COM_QUERY without a cache: lexes it once, splits it into statements, and
 * dispatches each statement on its leading keyword to the parser for that family (DML through {@link
 * ClauseScanner}, {@link SetStatementParser}, {@link TransactionStatementParser}, {@link DdlStatementParser},
 * {@link ShowStatementParser}); the short statements are handled here. Anything not recognised is {@link
 * QueryType#UNKNOWN}. Never throws (a defect that would throw is caught at the boundary and reported as unknown)
 * and runs in time linear in the input.
 *
 * <p>Thread rules: keeps its lexer and scanner scratch between calls, so an instance is confined to one worker.
 */
final class StatementClassifier {
    /** SET STATEMENT ... FOR and EXPLAIN nest statements; deeper nesting than this is reported as unknown. */
    private static final int MAX_NESTING = 8;

    private final SqlLexer lexer = new SqlLexer();
    private final Tokens tokens = new Tokens(lexer);
    private final ClauseScanner scanner = new ClauseScanner();
    private final SetStatementParser setParser = new SetStatementParser(scanner);
    private final DdlStatementParser ddlParser = new DdlStatementParser(scanner);
    private final PreparedStatementParser preparedParser = new PreparedStatementParser(scanner);
    /** Classifies the text of PREPARE ... FROM 'text'; null inside a nested classifier (one level only). */
    private StatementClassifier nested;
    private final boolean allowNested;
    // Lexical settings of the current call, for classifying PREPARE texts alike.
    private boolean ansiQuotes;
    private boolean noBackslashEscapes;
    private int serverVersion;

    StatementClassifier() {
        this(true);
    }

    private StatementClassifier(boolean allowNested) {
        this.allowNested = allowNested;
    }

    QueryInfo classify(byte[] sql, int offset, int length, boolean ansiQuotes, boolean noBackslashEscapes,
                       int serverVersion) {
        try {
            return classifyUnchecked(sql, offset, length, ansiQuotes, noBackslashEscapes, serverVersion);
        } catch (RuntimeException defect) {
            // A bug must cost a routing decision to the primary, never a session: report unknown.
            return new QueryInfo(QueryType.UNKNOWN, Operation.UNDEFINED, List.of(), List.of(), List.of(), "", null,
                    false, List.of(), "");
        }
    }

    /** The classification without the safety net; tests call this so that a defect shows as an exception. */
    QueryInfo classifyUnchecked(byte[] sql, int offset, int length, boolean ansiQuotes,
                                        boolean noBackslashEscapes, int serverVersion) {
        this.ansiQuotes = ansiQuotes;
        this.noBackslashEscapes = noBackslashEscapes;
        this.serverVersion = serverVersion;
        lexer.lex(sql, offset, length, ansiQuotes, noBackslashEscapes, serverVersion);
        InfoBuilder out = new InfoBuilder();
        out.hints = hints();
        int count = lexer.count;
        int i = 0;
        while (i < count) {
            if (lexer.types[i] == TokenType.SEMICOLON) {
                i++;
                continue;
            }
            tokens.end = count;
            int end = StatementBoundary.end(tokens, i);
            tokens.end = end;
            out.statements++;
            statement(out, i, end, 0);
            i = end + 1;
        }
        if (out.statements == 0) {
            out.add(QueryType.UNKNOWN);
        }
        String canonical = new String(lexer.canonical, 0, lexer.canonicalLength, StandardCharsets.UTF_8);
        return out.build(canonical);
    }

    private List<Hint> hints() {
        if (lexer.hintCommentCount == 0) {
            return List.of();
        }
        List<Hint> hints = new ArrayList<>(lexer.hintCommentCount);
        for (int k = 0; k < lexer.hintCommentCount; k++) {
            HintParser.parse(lexer.buf, lexer.hintComments[2 * k], lexer.hintComments[2 * k + 1], hints);
        }
        return hints;
    }

    /** Classifies the statement in tokens {@code [from, to)}. */
    private void statement(InfoBuilder out, int from, int to, int nesting) {
        if (nesting > MAX_NESTING) {
            out.add(QueryType.UNKNOWN);
            return;
        }
        Tokens t = tokens;
        Keyword kw = t.kw(from);
        if (t.type(from) == TokenType.LPAREN) {
            kw = Keyword.SELECT;
        }
        switch (kw) {
            case SELECT, VALUES, TABLE -> read(out, Operation.SELECT, from, to);
            case WITH -> with(out, from, to, nesting);
            case INSERT -> insert(out, Operation.INSERT, from, to);
            case REPLACE -> insert(out, Operation.REPLACE, from, to);
            case UPDATE -> update(out, from, to);
            case DELETE -> delete(out, from, to);
            case LOAD -> load(out, from, to);
            case CALL -> call(out, from, to);
            case DO -> read(out, Operation.DO, from, to);
            case SET -> {
                int inner = setParser.parse(t, out, from, to);
                if (inner >= 0) {
                    statement(out, inner, to, nesting + 1);
                }
            }
            case USE -> {
                out.operation(Operation.USE);
                out.add(QueryType.SESSION_WRITE);
                if (t.isIdentifier(from + 1)) {
                    out.database(t.name(from + 1));
                }
            }
            case SHOW -> ShowStatementParser.show(t, out, from, to);
            case DESCRIBE, DESC, EXPLAIN -> explain(out, from, to, nesting);
            case ANALYZE -> analyze(out, from, to, nesting);
            case BEGIN -> {
                if (t.kw(from + 1) == Keyword.NOT) {
                    compound(out, from, to);
                } else {
                    TransactionStatementParser.begin(t, out, from);
                }
            }
            case START -> start(out, from, to);
            case COMMIT -> TransactionStatementParser.commit(t, out, from);
            case ROLLBACK -> TransactionStatementParser.rollback(t, out, from);
            case SAVEPOINT, RELEASE -> TransactionStatementParser.savepoint(out);
            case XA -> TransactionStatementParser.xa(t, out, from);
            case LOCK -> lock(out, from, to);
            case UNLOCK -> simple(out, Operation.UNLOCK, QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
            case PREPARE -> preparedParser.prepare(t, out, from, this::classifyText);
            case EXECUTE -> preparedParser.execute(t, out, from, to, this::classifyText);
            case DEALLOCATE -> PreparedStatementParser.deallocate(t, out, from + 1);
            case DROP -> {
                if (t.kw(from + 1) == Keyword.PREPARE) {
                    PreparedStatementParser.deallocate(t, out, from + 1);
                } else {
                    ddlParser.drop(t, out, from, to);
                }
            }
            case CREATE -> ddlParser.create(t, out, from, to);
            case ALTER -> ddlParser.alter(t, out, from, to);
            case RENAME -> ddlParser.rename(t, out, from, to);
            case TRUNCATE -> ddlParser.truncate(t, out, from, to);
            case GRANT -> ddlParser.grant(t, out, from, to, Operation.GRANT);
            case REVOKE -> ddlParser.grant(t, out, from, to, Operation.REVOKE);
            case KILL -> simple(out, Operation.KILL, QueryType.WRITE);
            case HANDLER -> {
                simple(out, Operation.HANDLER, QueryType.WRITE);
                DdlStatementParser.objectName(t, out, from + 1);
            }
            case FLUSH -> simple(out, Operation.FLUSH, QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
            case OPTIMIZE, REPAIR, CHECK -> maintenance(out, from, to, QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
            case CHECKSUM -> maintenance(out, from, to, QueryType.READ);
            case RESET, PURGE, CHANGE, STOP, INSTALL, UNINSTALL, BINLOG, BACKUP, SHUTDOWN, CACHE ->
                    simple(out, Operation.ADMIN, QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
            case SIGNAL, RESIGNAL, GET -> simple(out, Operation.DIAGNOSTICS, QueryType.READ);
            case HELP -> simple(out, Operation.HELP, QueryType.READ);
            case IF, CASE, LOOP, WHILE, REPEAT, FOR -> {
                if (StatementBoundary.isCompound(t, from)) {
                    compound(out, from, to);
                } else {
                    out.add(QueryType.UNKNOWN);
                }
            }
            default -> {
                if (t.isIdentifier(from) && t.type(from + 1) == TokenType.COLON) {
                    compound(out, from, to);
                } else {
                    out.add(QueryType.UNKNOWN);
                }
            }
        }
    }

    private static void simple(InfoBuilder out, Operation op, long types) {
        out.operation(op);
        out.add(types);
    }

    private void read(InfoBuilder out, Operation op, int from, int to) {
        simple(out, op, QueryType.READ);
        scanner.scan(tokens, out, from, to, ClauseScanner.TableState.NONE, false, false);
    }

    /** WITH [RECURSIVE] name [(columns)] AS (query) [, ...] main-statement. */
    private void with(InfoBuilder out, int from, int to, int nesting) {
        Tokens t = tokens;
        int i = t.kw(from + 1) == Keyword.RECURSIVE ? from + 2 : from + 1;
        while (t.isIdentifier(i)) {
            out.cteNames.add(t.name(i));
            i++;
            if (t.type(i) == TokenType.LPAREN) {
                i = t.skipParens(i);
            }
            if (t.kw(i) != Keyword.AS || t.type(i + 1) != TokenType.LPAREN) {
                out.add(QueryType.UNKNOWN);
                read(out, Operation.SELECT, from, to);
                return;
            }
            int bodyEnd = t.skipParens(i + 1);
            scanner.scan(t, out, i + 1, bodyEnd, ClauseScanner.TableState.NONE, false, false);
            i = bodyEnd;
            if (t.type(i) != TokenType.COMMA) {
                break;
            }
            i++;
        }
        statement(out, i, to, nesting + 1);
    }

    private void insert(InfoBuilder out, Operation op, int from, int to) {
        simple(out, op, QueryType.WRITE);
        int i = from + 1;
        while (true) {
            Keyword kw = tokens.kw(i);
            if (kw == Keyword.LOW_PRIORITY || kw == Keyword.DELAYED || kw == Keyword.HIGH_PRIORITY
                    || kw == Keyword.IGNORE || kw == Keyword.INTO) {
                i++;
            } else {
                break;
            }
        }
        scanner.scan(tokens, out, i, to, ClauseScanner.TableState.EXPECT_TABLE, true, false);
    }

    private void update(InfoBuilder out, int from, int to) {
        simple(out, Operation.UPDATE, QueryType.WRITE);
        int i = from + 1;
        while (tokens.kw(i) == Keyword.LOW_PRIORITY || tokens.kw(i) == Keyword.IGNORE) {
            i++;
        }
        scanner.scan(tokens, out, i, to, ClauseScanner.TableState.EXPECT_TABLE, false, false);
    }

    /** DELETE [modifiers] FROM t ..., DELETE t1, t2 FROM refs ..., DELETE FROM t1, t2 USING refs ... */
    private void delete(InfoBuilder out, int from, int to) {
        simple(out, Operation.DELETE, QueryType.WRITE);
        int i = from + 1;
        while (tokens.kw(i) == Keyword.LOW_PRIORITY || tokens.kw(i) == Keyword.QUICK
                || tokens.kw(i) == Keyword.IGNORE) {
            i++;
        }
        // Targets before FROM are names or aliases that the FROM list names again: skip them.
        while (i < to && tokens.kw(i) != Keyword.FROM) {
            i++;
        }
        scanner.scan(tokens, out, i, to, ClauseScanner.TableState.NONE, false, true);
    }

    private void load(InfoBuilder out, int from, int to) {
        Keyword what = tokens.kw(from + 1);
        if (what == Keyword.DATA || what == Keyword.XML) {
            simple(out, Operation.LOAD, QueryType.WRITE);
            scanner.scan(tokens, out, from + 2, to, ClauseScanner.TableState.NONE, true, false);
        } else if (what == Keyword.INDEX) {
            simple(out, Operation.ADMIN, QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
        } else {
            out.add(QueryType.UNKNOWN);
        }
    }

    private void call(InfoBuilder out, int from, int to) {
        simple(out, Operation.CALL, QueryType.WRITE | QueryType.CALL);
        int i = from + 1;
        if (tokens.isIdentifier(i) && tokens.type(i + 1) == TokenType.DOT) {
            i += 2;
        }
        scanner.scan(tokens, out, i + 1, to, ClauseScanner.TableState.NONE, false, false);
    }

    private void explain(InfoBuilder out, int from, int to, int nesting) {
        Tokens t = tokens;
        int i = from + 1;
        while (true) {
            Keyword kw = t.kw(i);
            if (kw == Keyword.EXTENDED || kw == Keyword.PARTITIONS) {
                i++;
            } else if (kw == Keyword.FORMAT && t.type(i + 1) == TokenType.EQUALS) {
                i += 3;
            } else {
                break;
            }
        }
        if (isStatementStart(i)) {
            out.operation(Operation.EXPLAIN);
            long before = out.types;
            statement(out, i, to, nesting + 1);
            // EXPLAIN only plans the statement: keep what it names, not what it would do.
            out.types = before | QueryType.READ | (out.types & QueryType.UNKNOWN);
        } else if (t.kw(i) == Keyword.FOR) {
            simple(out, Operation.EXPLAIN, QueryType.READ);
        } else {
            ShowStatementParser.describeTable(t, out, i);
        }
    }

    private boolean isStatementStart(int i) {
        return switch (tokens.kw(i)) {
            case SELECT, INSERT, UPDATE, DELETE, REPLACE, WITH, VALUES, TABLE -> true;
            default -> tokens.type(i) == TokenType.LPAREN;
        };
    }

    /** ANALYZE TABLE t (maintenance), or ANALYZE [FORMAT=JSON] stmt, which runs stmt and reports its plan. */
    private void analyze(InfoBuilder out, int from, int to, int nesting) {
        Keyword next = tokens.kw(from + 1);
        if (next == Keyword.TABLE || next == Keyword.TABLES || tokens.wordIs(from + 1, "no_write_to_binlog")
                || next == Keyword.LOCAL) {
            maintenance(out, from, to, QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
            return;
        }
        int i = from + 1;
        if (tokens.kw(i) == Keyword.FORMAT && tokens.type(i + 1) == TokenType.EQUALS) {
            i += 3;
        }
        out.operation(Operation.EXPLAIN);
        statement(out, i, to, nesting + 1);
    }

    /** OPTIMIZE/REPAIR/CHECK/CHECKSUM/ANALYZE [NO_WRITE_TO_BINLOG | LOCAL] TABLE t1, t2 ... */
    private void maintenance(InfoBuilder out, int from, int to, long types) {
        simple(out, Operation.ADMIN, types);
        for (int i = from + 1; i < to && i < from + 4; i++) {
            Keyword kw = tokens.kw(i);
            if (kw == Keyword.TABLE || kw == Keyword.TABLES) {
                scanner.scan(tokens, out, i + 1, to, ClauseScanner.TableState.EXPECT_TABLE, false, false);
                return;
            }
        }
    }

    private void start(InfoBuilder out, int from, int to) {
        Keyword next = tokens.kw(from + 1);
        if (next == Keyword.TRANSACTION) {
            TransactionStatementParser.startTransaction(tokens, out, from + 1);
        } else if (next == Keyword.SLAVE || next == Keyword.REPLICA || next == Keyword.ALL) {
            simple(out, Operation.ADMIN, QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
        } else {
            out.add(QueryType.UNKNOWN);
        }
    }

    private void lock(InfoBuilder out, int from, int to) {
        Keyword next = tokens.kw(from + 1);
        if (next == Keyword.TABLE || next == Keyword.TABLES) {
            simple(out, Operation.LOCK, QueryType.WRITE | QueryType.IMPLICIT_COMMIT);
            scanner.scan(tokens, out, from + 2, to, ClauseScanner.TableState.EXPECT_TABLE, false, false);
        } else {
            out.add(QueryType.UNKNOWN);
        }
    }

    /** An anonymous compound statement: runs anything, so a write; the tables its body reads are recorded. */
    private void compound(InfoBuilder out, int from, int to) {
        simple(out, Operation.COMPOUND, QueryType.WRITE);
        scanner.scan(tokens, out, from, to, ClauseScanner.TableState.NONE, false, false);
    }

    /** Classifies the string literal at token {@code i} as SQL text, or null (a variable, or nested too deep). */
    private QueryInfo classifyText(int i) {
        if (!allowNested || tokens.type(i) != TokenType.STRING) {
            return null;
        }
        byte[] text = Names.stringValue(lexer.buf, tokens.start(i), tokens.tokenEnd(i), !noBackslashEscapes);
        if (nested == null) {
            nested = new StatementClassifier(false);
        }
        return nested.classify(text, 0, text.length, ansiQuotes, noBackslashEscapes, serverVersion);
    }
}
