package dev.sluice.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The mariadbd processes this JVM started, so that none outlives it.
 *
 * <p>A JVM shutdown hook kills every registered process by PID (SIGKILL: the data is throw-away). A JVM that
 * was itself killed with SIGKILL runs no hook; for that case each topology directory records its owner JVM's
 * PID ({@code owner.pid}) and each node the PID of its mariadbd ({@code mariadbd.pid}), and
 * {@link #sweepOrphans(Path)} — run before a new topology starts — kills the mariadbd of topologies whose
 * owner is gone, after checking that the PID still runs our command line (so a recycled PID is never hit).
 *
 * <p>Thread-safe: the registry is a concurrent set; the hook runs once, at JVM exit.
 */
final class ChildProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::killAll, "sluice-testkit-reaper"));
    }

    private ChildProcesses() {
    }

    static void register(Process process) {
        LIVE.add(process);
    }

    static void unregister(Process process) {
        LIVE.remove(process);
    }

    private static void killAll() {
        for (Process process : LIVE) {
            process.destroyForcibly();
        }
        for (Process process : LIVE) {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Records this JVM as the owner of a topology directory. */
    static void claim(Path topologyDir) throws IOException {
        Files.writeString(topologyDir.resolve("owner.pid"), ProcessHandle.current().pid() + "\n");
    }

    /**
     * Kills the mariadbd of every topology under {@code parent} whose owner JVM no longer runs, and deletes
     * that topology's files. Only PIDs whose command line names that node's own my.cnf are touched.
     */
    static void sweepOrphans(Path parent) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> topologies = Files.newDirectoryStream(parent)) {
            for (Path topology : topologies) {
                Optional<Long> owner = readPid(topology.resolve("owner.pid"));
                if (owner.isEmpty() || ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                boolean allDead = true;
                try (DirectoryStream<Path> nodes = Files.newDirectoryStream(topology, Files::isDirectory)) {
                    for (Path node : nodes) {
                        allDead &= killIfOurs(node);
                    }
                }
                if (allDead) {
                    MariaDbBinaries.deleteTree(topology);
                }
            }
        } catch (IOException e) {
            // best effort: a sweep that fails leaves files behind, never breaks a test
        }
    }

    private static boolean killIfOurs(Path nodeDir) {
        Optional<Long> pid = readPid(nodeDir.resolve("mariadbd.pid"));
        if (pid.isEmpty()) {
            return true;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.get());
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        if (!commandLine(pid.get()).contains(nodeDir.resolve("my.cnf").toAbsolutePath().toString())) {
            return true; // the PID was recycled by someone else's process
        }
        handle.get().destroyForcibly();
        try {
            handle.get().onExit().get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
