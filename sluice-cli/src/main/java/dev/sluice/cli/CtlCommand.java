package dev.sluice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code sluice ctl}: the admin client. The REST API it talks to is not built yet (see the issues); until
 * then it says so and exits non-zero instead of pretending.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Administer a running Sluice through its REST API (not available yet).")
final class CtlCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("sluice ctl: the admin REST API is not implemented in this version; nothing to talk to");
        return 1;
    }
}
