package dev.sluice.classifier;

import dev.sluice.api.query.Operation;
import dev.sluice.api.query.QueryType;

/**
 * Classifies SHOW (a read; SHOW MASTER STATUS and SHOW BINLOG STATUS only the primary can answer) and the table
 * forms of DESCRIBE / EXPLAIN. Records the table of SHOW CREATE TABLE, SHOW COLUMNS/INDEX FROM t and the database
 * of SHOW TABLES FROM db. Stateless.
 */
final class ShowStatementParser {
    private ShowStatementParser() {
    }

    static void show(Tokens t, InfoBuilder out, int from, int to) {
        out.operation(Operation.SHOW);
        out.add(QueryType.READ);
        int i = from + 1;
        while (t.kw(i) == Keyword.FULL || t.kw(i) == Keyword.EXTENDED || t.kw(i) == Keyword.GLOBAL
                || t.kw(i) == Keyword.SESSION) {
            i++;
        }
        Keyword what = t.kw(i);
        if ((what == Keyword.MASTER || what == Keyword.BINLOG) && t.kw(i + 1) == Keyword.STATUS) {
            out.add(QueryType.MASTER_READ);
            return;
        }
        if (what == Keyword.CREATE) {
            Keyword object = t.kw(i + 1);
            if (object == Keyword.TABLE || object == Keyword.VIEW || object == Keyword.SEQUENCE) {
                DdlStatementParser.objectName(t, out, i + 2);
            } else if ((object == Keyword.DATABASE || object == Keyword.SCHEMA) && t.isIdentifier(i + 2)) {
                out.database(t.name(i + 2));
            }
            return;
        }
        boolean ofTable = what == Keyword.COLUMNS || what == Keyword.FIELDS || what == Keyword.INDEX
                || what == Keyword.INDEXES || what == Keyword.KEYS;
        for (int j = i + 1; j < to; j++) {
            Keyword kw = t.kw(j);
            if ((kw == Keyword.FROM || kw == Keyword.IN) && t.isIdentifier(j + 1)) {
                if (ofTable) {
                    j = DdlStatementParser.objectName(t, out, j + 1) - 1;
                    ofTable = false;
                } else {
                    out.database(t.name(j + 1));
                    return;
                }
            } else if (kw == Keyword.LIKE || kw == Keyword.WHERE) {
                return;
            }
        }
    }

    /** DESCRIBE t [column], EXPLAIN t: a read of the table's definition. */
    static void describeTable(Tokens t, InfoBuilder out, int i) {
        out.operation(Operation.EXPLAIN);
        out.add(QueryType.READ);
        DdlStatementParser.objectName(t, out, i);
    }
}
