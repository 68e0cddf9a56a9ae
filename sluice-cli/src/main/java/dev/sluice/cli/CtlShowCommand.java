package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice ctl show server|service|listener|monitor|session NAME}: the resource as JSON. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one object as JSON.")
final class CtlShowCommand extends CtlVerb {
    enum What { server, service, listener, monitor, session }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    What what;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        var doc = client.get("/v1/" + what.name() + "s/" + AdminClient.encode(name));
        try {
            out.println(AdminClient.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc.get("data")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AdminClient.ApiException("cannot print the answer: " + e.getMessage());
        }
    }
}
