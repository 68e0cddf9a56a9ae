package dev.sluice.modules.mariadbmon;

import dev.sluice.api.server.Server;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The primary's write test ({@code write_test_interval}, {@code write_test_table}): a primary can answer the
 * monitor's queries while its disk or storage engine no longer takes writes. When the primary's
 * {@code gtid_binlog_pos} has not moved for {@code write_test_interval}, the monitor inserts one row into
 * {@code write_test_table} (creating the table when it is missing or has other columns), on a connection of its
 * own whose read timeout is {@code backend_read_timeout}: an insert that fails or does not end in time fails
 * the test. After a failure the test is repeated every tick until it passes; {@link #failures()} counts the
 * consecutive failures, which {@code write_test_fail_action=failover} compares with {@code failcount}.
 *
 * <p>Confined to the monitor thread: plain fields.
 */
final class WriteTest {

    private static final int ER_NO_SUCH_TABLE = 1146;
    private static final int ER_BAD_FIELD_ERROR = 1054;
    /** Rows kept in the table: older ones are deleted after each insert. */
    private static final int KEEP_ROWS = 100;

    private final MariaDbMonitorConfig config;
    /** The primary whose position is watched, and when that position last moved. */
    private int watched = -1;
    private String lastPosition = "";
    private long lastMove;
    private int failures;
    private String lastError = "";

    WriteTest(MariaDbMonitorConfig config) {
        this.config = config;
    }

    /** Consecutive failed tests of the current primary. */
    int failures() {
        return failures;
    }

    String lastError() {
        return lastError;
    }

    /**
     * Called every tick with the current primary (-1: none or not running) and its {@code gtid_binlog_pos};
     * runs the test when it is due. Returns whether a test ran and failed.
     */
    boolean tick(int primary, Server server, String gtidBinlogPos, long nowNanos) {
        Duration interval = config.writeTestInterval();
        if (interval.isZero() || primary < 0) {
            watched = -1;
            failures = 0;
            return false;
        }
        if (primary != watched || !gtidBinlogPos.equals(lastPosition)) {
            watched = primary;
            lastPosition = gtidBinlogPos;
            lastMove = nowNanos;
            failures = 0;
            return false;
        }
        if (failures == 0 && nowNanos - lastMove < interval.toNanos()) {
            return false;
        }
        String error = run(server);
        if (error.isEmpty()) {
            failures = 0;
            lastMove = nowNanos; // the insert moved the position; the next test is due an interval later
            return false;
        }
        failures++;
        lastError = error;
        return true;
    }

    /** One insert into the test table; empty on success, otherwise why it failed. */
    private String run(Server server) {
        long readTimeout = config.readTimeout().toMillis();
        try (Connection c = ServerProbe.open(server, config, config.connectTimeout().toMillis(), readTimeout);
             Statement s = c.createStatement()) {
            String table = config.writeTestTable();
            try {
                insert(s, table);
            } catch (SQLException e) {
                if (e.getErrorCode() == ER_NO_SUCH_TABLE) {
                    s.execute("CREATE TABLE IF NOT EXISTS " + table + " (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY"
                            + " NOT NULL, `date` TIMESTAMP DEFAULT CURRENT_TIMESTAMP, gtid TEXT NULL)");
                } else if (e.getErrorCode() == ER_BAD_FIELD_ERROR) {
                    s.execute("CREATE OR REPLACE TABLE " + table + " (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY"
                            + " NOT NULL, `date` TIMESTAMP DEFAULT CURRENT_TIMESTAMP, gtid TEXT NULL)");
                } else {
                    throw e;
                }
                insert(s, table);
            }
            s.executeUpdate("DELETE FROM " + table + " WHERE id <= LAST_INSERT_ID() - " + KEEP_ROWS);
            return "";
        } catch (SQLException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static void insert(Statement s, String table) throws SQLException {
        s.executeUpdate("INSERT INTO " + table + " (gtid) VALUES (@@gtid_binlog_pos)");
    }
}
