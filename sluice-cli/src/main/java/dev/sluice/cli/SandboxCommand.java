package dev.sluice.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice sandbox}: a MariaDB primary with GTID replicas on loopback (system binaries, or MariaDB's
 * from Maven Central), real accounts with passwords, and Sluice in front with a generated configuration.
 * Prints how to connect; Ctrl-C stops Sluice and every server it started. The MariaDB topology comes from
 * sluice-testkit, which is not on the product's class path ({@code bin/sluice sandbox} adds it from a checkout):
 * this class names none of its types, so picocli can inspect it without them, and {@link Sandbox} does the work.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Start a local MariaDB primary + replicas and Sluice in front of them.")
final class SandboxCommand implements Callable<Integer> {

    @Option(names = "--replicas", defaultValue = "2", description = "Number of GTID replicas (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--port", defaultValue = "4006",
            description = "Port of the read-write listener (primary); read-only is PORT+2, read/write split PORT+4 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-port", defaultValue = "8989",
            description = "Port of the REST API and the web GUI (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--dir", defaultValue = "sandbox-data",
            description = "Directory for the servers' data and the generated configuration (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        try {
            Class.forName("dev.sluice.testkit.MariaDbTopology");
        } catch (ClassNotFoundException e) {
            System.err.println("sluice: the sandbox is not part of this installation; run bin/sluice sandbox from a "
                    + "source checkout (it adds sluice-cli/target/sandbox-lib to the class path)");
            return 1;
        }
        return Sandbox.run(replicas, port, adminPort, dir);
    }
}
