package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice ctl destroy user NAME}. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Delete an admin API user.")
final class CtlDestroyUserCommand extends CtlVerb {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        client.delete("/v1/users/inet/" + AdminClient.encode(name));
        out.println("OK");
    }
}
