package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl start service|listener|monitor NAME}; {@link CtlStopCommand} stops. A stopped service
 * refuses new sessions and its listeners stop accepting; running sessions carry on.
 */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start a service, listener or monitor.")
class CtlStartCommand extends CtlVerb {
    enum Type { service, listener, monitor }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    Type type;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    String action() {
        return "start";
    }

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        client.put("/v1/" + type.name() + "s/" + AdminClient.encode(name) + "/" + action());
        out.println("OK");
    }
}
