package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.classifier.StatementSplitter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection of the query API ({@link SqlResource}): a MariaDB Connector/J connection with the caller's
 * database credentials, and the results of each request turned into MaxScale's JSON shapes (result sets as
 * {@code fields} + {@code data}, OKs as {@code affected_rows}/{@code last_insert_id}/{@code warnings}, errors
 * as {@code errno}/{@code message}/{@code sqlstate}). Runs on the SQL threads, one request at a time
 * ({@link #tryAcquire}); the admin loop only reads the volatile figures for listings.
 */
final class SqlConnection {
    /** What a request produced: the results, or {@code fatal} when the connection is gone. */
    record Outcome(ArrayNode results, double seconds, int number, String fatal) {
    }

    private final String id;
    private final String owner;
    private final String target;
    private final Connection connection;
    private final long threadId;
    private final long expiresAtMillis;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile long lastUsedNanos = System.nanoTime(); // written by the SQL thread that runs a request
    private volatile String lastSql; // likewise

    private SqlConnection(String id, String owner, String target, Connection connection, long threadId,
                          long expiresAtMillis) {
        this.id = id;
        this.owner = owner;
        this.target = target;
        this.connection = connection;
        this.threadId = threadId;
        this.expiresAtMillis = expiresAtMillis;
    }

    static SqlConnection open(String id, String owner, String target, String host, int port, String user,
                              String password, String db, int timeoutSeconds, long expiresAtMillis)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", String.valueOf(timeoutSeconds * 1000L));
        // a query API for people: no batching rewrite, no prepared statements on the server
        p.setProperty("useServerPrepStmts", "false");
        String url = "jdbc:mariadb://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + (db == null ? "" : db);
        Connection c = DriverManager.getConnection(url, p);
        long threadId = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            if (rs.next()) {
                threadId = rs.getLong(1);
            }
        } catch (SQLException e) {
            // a target that answers no SELECT (an odd router): the id stays 0
        }
        return new SqlConnection(id, owner, target, c, threadId, expiresAtMillis);
    }

    String id() {
        return id;
    }

    String owner() {
        return owner;
    }

    String target() {
        return target;
    }

    long threadId() {
        return threadId;
    }

    long expiresAtMillis() {
        return expiresAtMillis;
    }

    String lastSql() {
        return lastSql;
    }

    double secondsIdle() {
        return (System.nanoTime() - lastUsedNanos) / 1e9;
    }

    boolean tryAcquire() {
        return busy.compareAndSet(false, true);
    }

    void release() {
        lastUsedNanos = System.nanoTime();
        busy.set(false);
    }

    /**
     * Runs {@code sql} (one or more statements, each with all its results: a CALL may give several); stops at the
     * first error, which becomes the last result.
     */
    Outcome run(String sql, int maxRows) {
        int number = queries.incrementAndGet();
        lastSql = sql;
        ArrayNode results = JsonApi.MAPPER.createArrayNode();
        long start = System.nanoTime();
        // one statement at a time (cut by the classifier's lexer): the driver reads a multi-statement's answer
        // whole and throws at its first error, which would lose the results before it
        try (Statement st = connection.createStatement()) {
            for (String statement : StatementSplitter.split(sql)) {
                boolean isResultSet = st.execute(statement, Statement.RETURN_GENERATED_KEYS);
                while (true) {
                    if (isResultSet) {
                        try (ResultSet rs = st.getResultSet()) {
                            results.add(resultSet(rs, maxRows));
                        }
                    } else {
                        long count = st.getLargeUpdateCount();
                        if (count == -1) {
                            break;
                        }
                        results.add(ok(st, count));
                    }
                    isResultSet = st.getMoreResults();
                }
            }
        } catch (SQLNonTransientConnectionException e) {
            return new Outcome(results, seconds(start), number, describe(e));
        } catch (SQLException e) {
            if (!isValid()) {
                return new Outcome(results, seconds(start), number, describe(e));
            }
            results.addObject().put("errno", e.getErrorCode()).put("message", message(e))
                    .put("sqlstate", e.getSQLState() == null ? "HY000" : e.getSQLState());
        }
        return new Outcome(results, seconds(start), number, null);
    }

    private boolean isValid() {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static ObjectNode resultSet(ResultSet rs, int maxRows) throws SQLException {
        ObjectNode r = JsonApi.MAPPER.createObjectNode();
        ResultSetMetaData md = rs.getMetaData();
        int columns = md.getColumnCount();
        ArrayNode fields = r.putArray("fields");
        for (int i = 1; i <= columns; i++) {
            fields.add(md.getColumnLabel(i));
        }
        ArrayNode data = r.putArray("data");
        boolean complete = true;
        while (rs.next()) {
            if (maxRows > 0 && data.size() >= maxRows) {
                complete = false;
                break;
            }
            ArrayNode row = data.addArray();
            for (int i = 1; i <= columns; i++) {
                Object v = rs.getObject(i);
                if (v == null) {
                    row.addNull();
                } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                    row.add(((Number) v).longValue());
                } else if (v instanceof BigInteger b) {
                    row.add(b);
                } else if (v instanceof BigDecimal d) {
                    row.add(d);
                } else if (v instanceof Double || v instanceof Float) {
                    row.add(((Number) v).doubleValue());
                } else if (v instanceof Boolean b) {
                    row.add(b);
                } else {
                    row.add(rs.getString(i));
                }
            }
        }
        r.put("complete", complete);
        return r;
    }

    private static ObjectNode ok(Statement st, long affected) throws SQLException {
        long lastInsertId = 0;
        try (ResultSet keys = st.getGeneratedKeys()) {
            if (keys.next()) {
                lastInsertId = keys.getLong(1);
            }
        } catch (SQLException e) {
            // no generated key for this result
        }
        int warnings = 0;
        for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
            warnings++;
        }
        st.clearWarnings();
        return JsonApi.MAPPER.createObjectNode().put("affected_rows", affected).put("last_insert_id", lastInsertId)
                .put("warnings", warnings);
    }

    /** The server's own text, without the driver's "(conn=…) " prefix. */
    private static String message(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replaceFirst("^\\(conn=\\d+\\) ", "");
    }

    static String describe(SQLException e) {
        String m = message(e);
        return e.getErrorCode() != 0 ? m + " (error " + e.getErrorCode() + ")" : m;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a broken connection: nothing more to do
        }
    }
}
