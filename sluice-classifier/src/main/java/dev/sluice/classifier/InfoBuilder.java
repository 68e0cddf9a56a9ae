package dev.sluice.classifier;

import dev.sluice.api.query.Hint;
import dev.sluice.api.query.Operation;
import dev.sluice.api.query.QueryInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what the parsers find in one COM_QUERY and builds the immutable {@link QueryInfo} at the end. A fresh
 * builder per classification; not thread-safe.
 */
final class InfoBuilder {
    long types;
    Operation operation = Operation.UNDEFINED;
    final NameList tables = new NameList();
    final NameList databases = new NameList();
    final NameList functions = new NameList();
    /** Names of common table expressions: not reported as tables. */
    final NameList cteNames = new NameList();
    String preparedName = "";
    QueryInfo prepared;
    int statements;
    List<Hint> hints = List.of();

    void add(long bits) {
        types |= bits;
    }

    /** Sets the operation unless an earlier statement of the COM_QUERY already did. */
    void operation(Operation op) {
        if (operation == Operation.UNDEFINED) {
            operation = op;
        }
    }

    void table(String name) {
        tables.add(name);
    }

    void qualifiedTable(String database, String name) {
        databases.add(database);
        tables.add(database + "." + name);
    }

    void database(String name) {
        databases.add(name);
    }

    void function(String lowerName, long bits) {
        functions.add(lowerName);
        types |= bits;
    }

    QueryInfo build(String canonical) {
        List<String> tableList = tables.list();
        if (!cteNames.isEmpty()) {
            List<String> kept = new ArrayList<>(tableList.size());
            for (String table : tableList) {
                if (!cteNames.contains(table)) {
                    kept.add(table);
                }
            }
            tableList = kept;
        }
        return new QueryInfo(types, operation, tableList, databases.list(), functions.list(), preparedName, prepared,
                statements > 1, hints, canonical);
    }
}
