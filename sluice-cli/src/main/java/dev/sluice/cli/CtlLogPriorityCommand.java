package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice ctl enable|disable log-priority info|debug|notice|warning}, as maxctrl's. */
abstract class CtlLogPriorityCommand extends CtlVerb {
    @Parameters(index = "0", paramLabel = "log-priority", description = "log-priority")
    String what;

    @Parameters(index = "1", paramLabel = "PRIORITY", description = "info, debug, notice or warning")
    String priority;

    abstract boolean enable();

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        CtlLogging.priority(client, what, priority, enable());
        out.println("OK");
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a log priority.")
    static final class Enable extends CtlLogPriorityCommand {
        @Override
        boolean enable() {
            return true;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a log priority.")
    static final class Disable extends CtlLogPriorityCommand {
        @Override
        boolean enable() {
            return false;
        }
    }
}
