package dev.sluice.api.query;

/**
 * The kind of statement, from its leading keywords. For a multi-statement it is the operation of the first
 * statement; for {@code EXPLAIN}/{@code ANALYZE} of a statement it is {@link #EXPLAIN}; {@code SET STATEMENT ... FOR
 * stmt} takes the operation of {@code stmt}; a {@code WITH} query takes the operation of its main statement.
 */
public enum Operation {
    /** Nothing recognisable (empty input, or a statement the classifier does not know). */
    UNDEFINED,
    SELECT,
    INSERT,
    UPDATE,
    DELETE,
    REPLACE,
    /** LOAD DATA and LOAD XML. */
    LOAD,
    CALL,
    DO,
    SET,
    USE,
    SHOW,
    /** EXPLAIN, DESCRIBE, DESC, ANALYZE of a statement. */
    EXPLAIN,
    CREATE,
    ALTER,
    DROP,
    RENAME,
    TRUNCATE,
    GRANT,
    REVOKE,
    KILL,
    /** BEGIN, START TRANSACTION. */
    BEGIN,
    COMMIT,
    /** ROLLBACK, including ROLLBACK TO SAVEPOINT. */
    ROLLBACK,
    /** SAVEPOINT and RELEASE SAVEPOINT. */
    SAVEPOINT,
    /** Every XA statement. */
    XA,
    /** LOCK TABLES, LOCK TABLE. */
    LOCK,
    /** UNLOCK TABLES. */
    UNLOCK,
    PREPARE,
    EXECUTE,
    /** DEALLOCATE PREPARE, DROP PREPARE. */
    DEALLOCATE,
    HANDLER,
    FLUSH,
    /**
     * Server administration: ANALYZE/CHECK/CHECKSUM/OPTIMIZE/REPAIR TABLE, CACHE INDEX, LOAD INDEX, RESET, PURGE,
     * CHANGE MASTER, START/STOP SLAVE, INSTALL/UNINSTALL, BINLOG, BACKUP, SHUTDOWN.
     */
    ADMIN,
    /** SIGNAL, RESIGNAL, GET DIAGNOSTICS. */
    DIAGNOSTICS,
    HELP,
    /** An anonymous compound statement: BEGIN NOT ATOMIC, IF, CASE, LOOP, WHILE, REPEAT, FOR outside a routine. */
    COMPOUND
}
