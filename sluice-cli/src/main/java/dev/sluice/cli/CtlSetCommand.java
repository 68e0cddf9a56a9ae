package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice ctl set server NAME maintenance|drain}. */
@Command(name = "set", mixinStandardHelpOptions = true, description = "Set a server state: maintenance or drain.")
class CtlSetCommand extends CtlVerb {
    enum Type { server }

    enum State { maintenance, drain }

    @Parameters(index = "0", paramLabel = "server")
    Type type;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Parameters(index = "2", paramLabel = "STATE", description = "One of: ${COMPLETION-CANDIDATES}.")
    State state;

    /** "set" or "clear": the last segment of the PUT. */
    String action() {
        return "set";
    }

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        client.put("/v1/servers/" + AdminClient.encode(name) + "/" + action() + "?state=" + state.name());
        out.println("OK");
    }
}
