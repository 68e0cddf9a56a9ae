package dev.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One mariadbd of a {@link MariaDbTopology}: its directory ({@code my.cnf}, {@code data/}, {@code tmp/},
 * {@code error.log}), its port on 127.0.0.1 and its process.
 *
 * <p>The process is started by this class and only ever signalled through its own {@link Process} handle,
 * so no other mariadbd on the machine can be hit. {@link #kill9()} is SIGKILL (a crash), {@link #stop()} is
 * SIGTERM (a clean shutdown); {@link #start()} runs the same datadir again.
 *
 * <p>Thread-safe: lifecycle methods are synchronized; {@link #port()} and {@link #isRunning()} may be read
 * from any thread.
 */
public final class MariaDbNode {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    /** Linux limits sun_path to 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 100;
    private static final int BIND_RETRIES = 3;

    private final String name;
    private final int serverId;
    private final boolean replica;
    private final Path dir;
    private final Path socket;
    private final MariaDbBinaries binaries;
    /** The node's {@code my.cnf} for a given port. */
    private final java.util.function.IntFunction<String> cnf;

    /** Written by start paths under this object's lock; read by any thread. */
    private volatile int port;
    private volatile Process process;
    /** Empty until the node's first bootstrap sets {@link MariaDbTopology#ROOT_PASSWORD}. */
    private volatile String rootPassword = "";

    MariaDbNode(String name, int serverId, boolean replica, Path dir, int port, MariaDbBinaries binaries,
                List<String> extraCnfLines) {
        this(name, serverId, replica, dir, port, binaries, p -> MyCnf.node(binaries, dir.toAbsolutePath(),
                socketPath(dir.toAbsolutePath()), p, serverId, name, replica, List.copyOf(extraCnfLines)));
    }

    /** A node whose {@code my.cnf} is {@code cnf} applied to its port (a Galera node, say). */
    MariaDbNode(String name, int serverId, boolean replica, Path dir, int port, MariaDbBinaries binaries,
                java.util.function.IntFunction<String> cnf) {
        this.name = name;
        this.serverId = serverId;
        this.replica = replica;
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.binaries = binaries;
        this.cnf = cnf;
        this.socket = socketPath(this.dir);
    }

    /** {@code DIR/mysqld.sock}, or a short name in the temporary directory when that path is too long. */
    static Path socketPath(Path dir) {
        Path preferred = dir.resolve("mysqld.sock");
        return preferred.toString().length() <= MAX_SOCKET_PATH ? preferred
                : Path.of(System.getProperty("java.io.tmpdir"), "sluice-" + ProcessHandle.current().pid() + "-"
                        + Integer.toHexString(dir.hashCode()) + ".sock");
    }

    public String name() {
        return name;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public int serverId() {
        return serverId;
    }

    /** Whether the topology configured this node as a replica (read_only=1, replicating from the primary). */
    public boolean isReplica() {
        return replica;
    }

    public Path socket() {
        return socket;
    }

    public Path directory() {
        return dir;
    }

    public Path errorLog() {
        return dir.resolve("error.log");
    }

    /** The PID of the running mariadbd, or -1 when stopped. */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** {@code jdbc:mariadb://127.0.0.1:PORT/} (no database, no credentials). */
    public String jdbcUrl() {
        return "jdbc:mariadb://" + host() + ":" + port + "/";
    }

    public String jdbcUrl(String database) {
        return jdbcUrl() + database;
    }

    /** A new JDBC connection over TCP; the caller closes it. */
    public Connection connect(String user, String password) throws SQLException {
        return connect(user, password, "");
    }

    public Connection connect(String user, String password, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5000");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** A new JDBC connection as root over the unix socket; the caller closes it. */
    public Connection rootConnection() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "root");
        props.setProperty("password", rootPassword);
        props.setProperty("localSocket", socket.toString());
        props.setProperty("connectTimeout", "5000");
        return DriverManager.getConnection("jdbc:mariadb://localhost/", props);
    }

    void rootPasswordSet(String password) {
        this.rootPassword = password;
    }

    void prepare(Path templateData) throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        DatadirTemplate.copy(templateData, dir.resolve("data"));
        writeConfig();
    }

    private void writeConfig() throws IOException {
        Files.writeString(dir.resolve("my.cnf"), cnf.apply(port));
    }

    /**
     * Starts mariadbd on this node's datadir and waits until it accepts connections. When the port was
     * taken meanwhile by another process and the node has never run, a new free port is chosen.
     */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        boolean firstStart = !Files.exists(dir.resolve("data").resolve(name + "-bin.index"));
        for (int attempt = 1; ; attempt++) {
            try {
                launchAndAwait();
                return;
            } catch (PortTakenException e) {
                if (!firstStart || attempt >= BIND_RETRIES) {
                    throw new IllegalStateException(name + ": port " + port + " is in use by another process", e);
                }
                port = FreePorts.allocate();
                try {
                    writeConfig();
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            }
        }
    }

    /**
     * Starts mariadbd once with extra command-line options (e.g. {@code --wsrep-new-cluster}) and waits until
     * it accepts connections; no new port is tried when the port is taken (a Galera node's peers know it).
     */
    synchronized void start(List<String> extraArguments) {
        if (isRunning()) {
            return;
        }
        launchAndAwait(extraArguments);
    }

    private void launchAndAwait() {
        launchAndAwait(List.of());
    }

    private void launchAndAwait(List<String> extraArguments) {
        try {
            Files.deleteIfExists(socket);
            List<String> command = new java.util.ArrayList<>(List.of(binaries.mariadbd().toString(),
                    "--defaults-file=" + dir.resolve("my.cnf")));
            command.addAll(extraArguments);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            long logOffset = Files.exists(errorLog()) ? Files.size(errorLog()) : 0;
            Process started = builder.start();
            ChildProcesses.register(started);
            process = started;
            Files.writeString(dir.resolve("mariadbd.pid"), started.pid() + "\n");
            awaitReady(started, logOffset);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot start " + binaries.mariadbd(), e);
        }
    }

    private void awaitReady(Process started, long logOffset) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                ChildProcesses.unregister(started);
                String log = newErrorLog(logOffset);
                if (log.contains("Address already in use") || log.contains("Can't start server: Bind")) {
                    throw new PortTakenException(log);
                }
                throw new IllegalStateException(name + ": mariadbd exited with " + started.exitValue()
                        + " during start; " + errorLog() + ":\n" + log);
            }
            if (Files.exists(socket)) {
                try (Connection ignored = rootConnection()) {
                    return;
                } catch (SQLException e) {
                    last = e;
                }
            }
            sleep(50);
        }
        started.destroyForcibly();
        throw new IllegalStateException(name + ": mariadbd did not accept connections within " + START_TIMEOUT
                + " (last error: " + last + "); " + errorLog() + ":\n" + newErrorLog(logOffset));
    }

    private String newErrorLog(long offset) {
        try {
            byte[] all = Files.readAllBytes(errorLog());
            int from = (int) Math.min(offset, all.length);
            String text = new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no error log)";
        }
    }

    /** SIGKILL to our mariadbd (a crash: no clean shutdown, InnoDB recovers on the next start). */
    public synchronized void kill9() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly(); // SIGKILL on Linux, to this PID only
        awaitExit(p, STOP_TIMEOUT);
    }

    /** SIGTERM to our mariadbd and wait for its clean shutdown (SIGKILL after 60 s). */
    public synchronized void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        if (!awaitExit(p, STOP_TIMEOUT)) {
            p.destroyForcibly();
            awaitExit(p, STOP_TIMEOUT);
        }
    }

    private boolean awaitExit(Process p, Duration timeout) {
        try {
            boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (exited) {
                ChildProcesses.unregister(p);
                process = null;
                try {
                    Files.deleteIfExists(dir.resolve("mariadbd.pid"));
                } catch (IOException ignored) {
                    // stale pid files are checked against the command line before use
                }
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + "[127.0.0.1:" + port + (isRunning() ? ", pid " + pid() : ", stopped") + "]";
    }

    /** The server could not bind its port: someone took it after {@link FreePorts} probed it. */
    private static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String log) {
            super(log, null, false, false);
        }
    }
}
