package dev.sluice.bench.classifier;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The statements the classifier benchmarks feed it, as UTF-8 bytes. Immutable after construction. */
final class StatementMix {
    private StatementMix() {
    }

    /**
     * Sysbench oltp_read_write statements with fresh literal values each (as the text protocol sends them):
     * point selects, ranges, sum/order/distinct ranges, index and non-index updates, delete and insert.
     */
    static List<byte[]> sysbench(int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int table = 1 + random.nextInt(10);
            int id = random.nextInt(1_000_000);
            String sql = switch (i % 14) {
                case 10 -> "SELECT c FROM sbtest" + table + " WHERE id BETWEEN " + id + " AND " + (id + 99);
                case 11 -> "SELECT SUM(k) FROM sbtest" + table + " WHERE id BETWEEN " + id + " AND " + (id + 99);
                case 12 -> "UPDATE sbtest" + table + " SET k=k+1 WHERE id=" + id;
                case 13 -> i % 28 == 13
                        ? "DELETE FROM sbtest" + table + " WHERE id=" + id
                        : "INSERT INTO sbtest" + table + " (id, k, c, pad) VALUES (" + id + ", " + random.nextInt()
                          + ", '" + Long.toHexString(random.nextLong()) + "-83868641912-28773972837-60736120486', '"
                          + Long.toHexString(random.nextLong()) + "-22195207048')";
                default -> "SELECT c FROM sbtest" + table + " WHERE id=" + id;
            };
            out.add(sql.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A mix of application statements drawn from the golden files: joins, writes, SET, transactions, hints. */
    static List<byte[]> golden() {
        String[] statements = {
            "SELECT o.id, c.name FROM orders o JOIN customers c ON o.cid = c.id WHERE o.total > 100",
            "SELECT * FROM t1 WHERE a IN (SELECT b FROM t2 WHERE c = 'x')",
            "SELECT COUNT(*) FROM shop.items WHERE price < 9.99",
            "SELECT name FROM users WHERE email LIKE 'bob%' LIMIT 10",
            "SELECT MAX(price), MIN(price), AVG(price) FROM items GROUP BY cat HAVING COUNT(*) > 3",
            "WITH c AS (SELECT a FROM t1 WHERE b = 1) SELECT * FROM c JOIN t2 ON c.a = t2.a",
            "SELECT * FROM t WHERE id = 7 FOR UPDATE",
            "SELECT LAST_INSERT_ID()",
            "SELECT @@version, @@session.sql_mode",
            "INSERT INTO t (a, b) VALUES (1, 'x') ON DUPLICATE KEY UPDATE b = VALUES(b)",
            "UPDATE t1 INNER JOIN t2 ON t1.id = t2.id SET t1.c = 'new' WHERE t2.d < NOW()",
            "DELETE FROM t WHERE id IN (SELECT id FROM u WHERE v = 3)",
            "SET autocommit=0",
            "SET NAMES utf8mb4",
            "SET @a = 1, @b = 'two'",
            "START TRANSACTION READ ONLY",
            "COMMIT",
            "USE shop",
            "SHOW TABLES FROM shop",
            "SELECT /* maxscale route to master */ balance FROM accounts WHERE id = 42",
            "SELECT _utf8mb4'caf\u00e9', X'0A1B', 0x1F, b'101' FROM dual",
            "CALL db.proc2(1, @out)",
            "CREATE TEMPORARY TABLE tmp (a INT)",
            "SELECT a FROM t1 UNION ALL SELECT a FROM t2 WHERE b = 5",
        };
        List<byte[]> out = new ArrayList<>(statements.length);
        for (String sql : statements) {
            out.add(sql.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }
}
