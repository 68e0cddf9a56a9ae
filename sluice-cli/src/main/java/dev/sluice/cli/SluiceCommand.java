package dev.sluice.cli;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.logging.Logs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice --config FILE}: runs Sluice in the foreground until SIGTERM or SIGINT, then stops gracefully
 * (stops accepting, lets replies in flight finish, closes backends). Exit codes: 0 after a clean stop, 1 for
 * a configuration or startup error, 2 for a bad command line.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Sluice: an intelligent database proxy for MariaDB and MySQL.",
        subcommands = {SandboxCommand.class, CtlCommand.class})
public final class SluiceCommand implements Callable<Integer> {

    @Option(names = {"-f", "--config"}, paramLabel = "FILE",
            description = "Configuration file in MaxScale's maxscale.cnf format (FILE.d/*.cnf is read too).")
    Path config;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long a stop waits for replies in flight (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Option(names = "--export-config", paramLabel = "FILE",
            description = "Validate the configuration, write the effective configuration (every object and every "
                    + "parameter set, the .d files merged) to FILE and exit without starting.")
    Path exportConfig;

    @Option(names = {"-c", "--config-check"},
            description = "Validate the configuration (the .d files and the persisted runtime changes included), "
                    + "list every problem and exit: 0 when it is valid, 1 when not (MaxScale's -c).")
    boolean configCheck;

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            System.err.println("sluice: --config FILE is required (or a command: sandbox, ctl); see --help");
            return 2;
        }
        if (!Files.isRegularFile(config)) {
            System.err.println("sluice: configuration file not found: " + config);
            return 1;
        }
        SluiceConfig cfg;
        try {
            ModuleRegistry modules = ModuleRegistry.load();
            cfg = dev.sluice.server.config.PersistedChanges.load(ConfigLoader.load(config, modules), modules);
            // config_sync_cluster: the last shared configuration this instance applied replaces the files' objects
            cfg = dev.sluice.server.admin.ConfigSync.withCachedObjects(cfg, modules);
        } catch (ConfigException e) {
            System.err.println("sluice: " + e.problems().size() + " problem(s) in the configuration:");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 1;
        }
        if (configCheck) {
            System.out.println("sluice: the configuration in " + config + " is valid");
            return 0;
        }
        if (exportConfig != null) {
            Files.writeString(exportConfig, dev.sluice.server.config.ConfigSections.export(cfg));
            System.out.println("sluice: effective configuration written to " + exportConfig);
            return 0;
        }
        try {
            Logs.configure(cfg.global().values());
        } catch (IllegalStateException e) {
            System.err.println("sluice: " + e.getMessage());
            return 1;
        }
        Logs.rotateOnSigusr1();
        return runUntilSignalled(cfg, Duration.ofSeconds(graceSeconds), null);
    }

    /** Starts Sluice, blocks until the JVM is asked to stop, stops gracefully. */
    static int runUntilSignalled(SluiceConfig cfg, Duration grace, Runnable afterStop) {
        SluiceServer server;
        try {
            server = SluiceServer.start(cfg);
        } catch (Exception e) {
            System.err.println("sluice: cannot start: " + e.getMessage());
            return 1;
        }
        // under systemd (Type=notify): READY once serving, watchdog pings while the workers run, STOPPING on stop
        dev.sluice.server.SystemdNotify systemd = dev.sluice.server.SystemdNotify.open(System.getenv("NOTIFY_SOCKET"));
        if (systemd != null) {
            systemd.send("READY=1\nSTATUS=Serving\nMAINPID=" + ProcessHandle.current().pid());
            Duration watchdog = dev.sluice.server.SystemdNotify.watchdogPeriod(System.getenv("WATCHDOG_USEC"),
                    System.getenv("WATCHDOG_PID"));
            if (watchdog != null) {
                systemd.startWatchdog(watchdog, server.workers().all());
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (systemd != null) {
                systemd.send("STOPPING=1");
            }
            server.stop(grace);
            if (systemd != null) {
                systemd.close();
            }
            if (afterStop != null) {
                afterStop.run();
            }
            stopped.countDown();
        }, "sluice-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new SluiceCommand());
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("sluice: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        int code = cl.execute(args);
        if (code != 0 || args.length == 0 || !isLongRunning(args)) {
            System.exit(code);
        }
    }

    private static boolean isLongRunning(String[] args) {
        if (args[0].equals("ctl")) {
            return false; // ctl's --config is maxctrl's option file
        }
        for (String a : args) {
            if (a.equals("-c") || a.equals("--config-check")) {
                return false;
            }
        }
        for (String a : args) {
            if (a.equals("--config") || a.equals("-f") || a.startsWith("--config=") || a.equals("sandbox")) {
                return true;
            }
        }
        return false;
    }
}
