package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writers that keep a ledger of the commits the server acknowledged, for the fault tests: half of them write in
 * autocommit (one row per commit), half in BEGIN … SELECT … COMMIT transactions (two rows), each into
 * {@code test.ledger} with its client number and sequence number, and each reopens its connection after an
 * error. {@link #assertExactlyOnce} then checks that every acknowledged commit is there exactly once and that
 * nothing is there twice. Started and stopped by the test thread; the ledgers are concurrent collections.
 */
final class LedgerClients {

    /** What one writer did: acknowledged sequence numbers, and the errors it saw. */
    static final class Ledger {
        final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        final List<String> errors = new CopyOnWriteArrayList<>();
    }

    static final String TABLE = "CREATE TABLE IF NOT EXISTS test.ledger (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
            + " client INT NOT NULL, seq INT NOT NULL, part INT NOT NULL, KEY (client, seq))";

    private final int writers;
    private final Callable<Connection> connect;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, Ledger> ledgers = new HashMap<>();
    private final List<Future<?>> futures = new ArrayList<>();
    private ExecutorService pool;

    /** @param connect opens a connection through the proxy (with generous socket and connect timeouts) */
    LedgerClients(int writers, Callable<Connection> connect) {
        this.writers = writers;
        this.connect = connect;
        for (int client = 0; client < writers; client++) {
            ledgers.put(client, new Ledger());
        }
    }

    Map<Integer, Ledger> ledgers() {
        return ledgers;
    }

    /** How many commits each client has had acknowledged so far. */
    Map<Integer, Integer> acknowledgedCounts() {
        Map<Integer, Integer> counts = new HashMap<>();
        ledgers.forEach((k, l) -> counts.put(k, l.acknowledged.size()));
        return counts;
    }

    void start() {
        pool = Executors.newFixedThreadPool(writers);
        for (int client = 0; client < writers; client++) {
            int id = client;
            futures.add(pool.submit(() -> {
                write(id, transactional(id), ledgers.get(id));
                return null;
            }));
        }
    }

    /** Stops the writers and waits for them (each ends after its current statement). */
    void stop() throws Exception {
        running.set(false);
        for (Future<?> f : futures) {
            f.get(90, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    private boolean transactional(int client) {
        return client >= writers / 2;
    }

    /**
     * Every acknowledged commit has its rows exactly once in {@code test.ledger} (read through {@code c}), no
     * commit has more rows than it wrote, and each client saw at most {@code maxErrors} errors.
     */
    void assertExactlyOnce(Connection c, int maxErrors) throws SQLException {
        Map<Integer, Map<Integer, Integer>> rows = new HashMap<>(); // client -> seq -> rows
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT client, seq, COUNT(*) FROM test.ledger GROUP BY client, seq")) {
            while (rs.next()) {
                rows.computeIfAbsent(rs.getInt(1), k -> new HashMap<>()).put(rs.getInt(2), rs.getInt(3));
            }
        }
        ledgers.forEach((client, l) -> {
            assertThat(l.errors).as("errors seen by client %d", client).hasSizeLessThanOrEqualTo(maxErrors);
            Map<Integer, Integer> mine = rows.getOrDefault(client, Map.of());
            int expectedRows = transactional(client) ? 2 : 1;
            for (int seq : l.acknowledged) {
                assertThat(mine.get(seq)).as("rows of acknowledged commit %d/%d", client, seq)
                        .isEqualTo(expectedRows);
            }
            mine.forEach((seq, count) -> assertThat(count).as("rows of commit %d/%d", client, seq)
                    .isLessThanOrEqualTo(expectedRows));
        });
    }

    private void write(int client, boolean transactional, Ledger ledger) {
        Connection c = null;
        int seq = 0;
        while (running.get()) {
            seq++;
            try {
                if (c == null) {
                    c = connect.call();
                }
                if (transactional) {
                    c.setAutoCommit(false);
                    insert(c, client, seq, 1);
                    try (Statement s = c.createStatement();
                         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM test.ledger WHERE client = " + client)) {
                        rs.next();
                    }
                    insert(c, client, seq, 2);
                    c.commit();
                } else {
                    insert(c, client, seq, 1);
                }
                ledger.acknowledged.add(seq);
            } catch (Exception e) {
                String code = e instanceof SQLException q ? q.getErrorCode() + " " + q.getSQLState() + " " : "";
                ledger.errors.add(seq + ": " + code + e.getMessage());
                closeQuietly(c);
                c = null;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        closeQuietly(c);
    }

    private static void insert(Connection c, int client, int seq, int part) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO test.ledger (client, seq, part) VALUES (?, ?, ?)")) {
            ps.setInt(1, client);
            ps.setInt(2, seq);
            ps.setInt(3, part);
            ps.executeUpdate();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the connection is already broken
            }
        }
    }
}
