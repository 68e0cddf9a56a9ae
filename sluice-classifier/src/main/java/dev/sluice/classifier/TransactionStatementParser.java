package dev.sluice.classifier;

import dev.sluice.api.query.Operation;
import dev.sluice.api.query.QueryType;

/**
 * Classifies transaction control: BEGIN [WORK], START TRANSACTION with READ ONLY / READ WRITE / WITH CONSISTENT
 * SNAPSHOT, COMMIT and ROLLBACK with AND [NO] CHAIN, ROLLBACK TO SAVEPOINT (which stays in the transaction),
 * SAVEPOINT, RELEASE SAVEPOINT, and the XA statements. Stateless.
 */
final class TransactionStatementParser {
    private TransactionStatementParser() {
    }

    /** BEGIN or BEGIN WORK (BEGIN NOT ATOMIC is a compound statement, handled elsewhere). */
    static void begin(Tokens t, InfoBuilder out, int i) {
        out.operation(Operation.BEGIN);
        Keyword next = t.kw(i + 1);
        if (t.type(i + 1) == TokenType.SEMICOLON || (next == Keyword.WORK && t.type(i + 2) == TokenType.SEMICOLON)) {
            out.add(QueryType.BEGIN_TRX);
        } else {
            out.add(QueryType.UNKNOWN);
        }
    }

    /** START TRANSACTION [characteristic [, characteristic]...]; {@code i} is at TRANSACTION. */
    static void startTransaction(Tokens t, InfoBuilder out, int i) {
        out.operation(Operation.BEGIN);
        long bits = QueryType.BEGIN_TRX;
        int j = i + 1;
        while (t.type(j) != TokenType.SEMICOLON) {
            Keyword kw = t.kw(j);
            if (kw == Keyword.READ && t.kw(j + 1) == Keyword.ONLY) {
                bits |= QueryType.TRX_READ_ONLY;
                j += 2;
            } else if (kw == Keyword.READ && t.kw(j + 1) == Keyword.WRITE) {
                bits |= QueryType.TRX_READ_WRITE;
                j += 2;
            } else if (kw == Keyword.WITH && t.kw(j + 1) == Keyword.CONSISTENT && t.kw(j + 2) == Keyword.SNAPSHOT) {
                j += 3;
            } else if (kw == Keyword.WITH && t.wordIs(j + 2, "rocksdb") && t.kw(j + 3) == Keyword.SNAPSHOT) {
                // MyRocks: WITH CONSISTENT | SHARED | EXISTING ROCKSDB SNAPSHOT
                j += 4;
            } else if (t.type(j) == TokenType.COMMA) {
                j++;
            } else {
                out.add(QueryType.UNKNOWN);
                break;
            }
        }
        out.add(bits);
    }

    /** COMMIT [WORK] [AND [NO] CHAIN] [[NO] RELEASE]. */
    static void commit(Tokens t, InfoBuilder out, int i) {
        out.operation(Operation.COMMIT);
        out.add(QueryType.COMMIT | chain(t, i + 1));
    }

    /** ROLLBACK [WORK] [AND [NO] CHAIN] [[NO] RELEASE], or ROLLBACK [WORK] TO [SAVEPOINT] name. */
    static void rollback(Tokens t, InfoBuilder out, int i) {
        out.operation(Operation.ROLLBACK);
        int j = t.kw(i + 1) == Keyword.WORK ? i + 2 : i + 1;
        if (t.kw(j) == Keyword.TO) {
            out.add(QueryType.SAVEPOINT);
            return;
        }
        out.add(QueryType.ROLLBACK | chain(t, j));
    }

    /** BEGIN_TRX when the statement ends with AND CHAIN (a new transaction starts at once). */
    private static long chain(Tokens t, int i) {
        for (int j = i; t.type(j) != TokenType.SEMICOLON; j++) {
            if (t.kw(j) == Keyword.AND) {
                return t.kw(j + 1) == Keyword.CHAIN ? QueryType.BEGIN_TRX : 0;
            }
        }
        return 0;
    }

    /** SAVEPOINT name, RELEASE SAVEPOINT name. */
    static void savepoint(InfoBuilder out) {
        out.operation(Operation.SAVEPOINT);
        out.add(QueryType.SAVEPOINT);
    }

    /** XA START|BEGIN|END|PREPARE|COMMIT|ROLLBACK|RECOVER. */
    static void xa(Tokens t, InfoBuilder out, int i) {
        out.operation(Operation.XA);
        switch (t.kw(i + 1)) {
            case START, BEGIN -> out.add(QueryType.BEGIN_TRX);
            case COMMIT -> out.add(QueryType.COMMIT);
            case ROLLBACK -> out.add(QueryType.ROLLBACK);
            case END, PREPARE -> out.add(QueryType.WRITE);
            default -> {
                if (t.wordIs(i + 1, "recover")) {
                    out.add(QueryType.READ);
                } else {
                    out.add(QueryType.UNKNOWN);
                }
            }
        }
    }
}
