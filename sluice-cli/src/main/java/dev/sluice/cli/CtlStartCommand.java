package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl start service|listener|monitor NAME}, {@code start services|maxscale} (every service); {@link CtlStopCommand} stops. A stopped service
 * refuses new sessions and its listeners stop accepting; running sessions carry on.
 */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start a service, listener or monitor.")
class CtlStartCommand extends CtlVerb {
    enum Type { service, listener, monitor, services, maxscale }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    Type type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Not for services|maxscale.")
    String name;

    String action() {
        return "start";
    }

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        if (type == Type.services || type == Type.maxscale) {
            // as maxctrl: every service in turn
            for (com.fasterxml.jackson.databind.JsonNode s : client.get("/v1/services").path("data")) {
                client.put("/v1/services/" + AdminClient.encode(s.path("id").asText()) + "/" + action());
            }
            out.println("OK");
            return;
        }
        if (name == null) {
            throw new AdminClient.ApiException(action() + " " + type + ": missing the NAME");
        }
        client.put("/v1/" + type.name() + "s/" + AdminClient.encode(name) + "/" + action());
        out.println("OK");
    }
}
