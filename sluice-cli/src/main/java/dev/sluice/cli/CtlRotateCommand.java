package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice ctl rotate logs}: the log file is closed and reopened (after logrotate moved it), as maxctrl's. */
@Command(name = "rotate", mixinStandardHelpOptions = true, description = "Reopen the log file (rotate logs).")
final class CtlRotateCommand extends CtlVerb {
    @Parameters(index = "0", paramLabel = "logs", description = "logs")
    String what;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        if (!what.equals("logs")) {
            throw new AdminClient.ApiException("unknown object '" + what + "' (expected: logs)");
        }
        client.post("/v1/maxscale/logs/flush");
        out.println("OK");
    }
}
