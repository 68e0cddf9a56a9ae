package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice ctl reload service NAME}: reloads the service's user accounts from its servers now. */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Reload a service's user accounts.")
class CtlReloadCommand extends CtlVerb {
    enum Type { service }

    @Parameters(index = "0", paramLabel = "service")
    Type type;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        client.post("/v1/services/" + AdminClient.encode(name) + "/reload");
        out.println("OK");
    }
}
