package dev.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice ctl create user NAME PASSWORD [--type=admin|basic]}: a new admin API account (basic by default). */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Create an admin API user.")
final class CtlCreateUserCommand extends CtlVerb {
    enum Type { admin, basic }

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "PASSWORD")
    String newPassword;

    @Option(names = "--type", defaultValue = "basic",
            description = "admin (may change things) or basic (read-only); default: ${DEFAULT-VALUE}.")
    Type type;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        ObjectNode body = AdminClient.MAPPER.createObjectNode();
        ObjectNode data = body.putObject("data").put("id", name).put("type", "inet");
        data.putObject("attributes").put("password", newPassword).put("account", type.name());
        client.send("POST", "/v1/users/inet", body);
        out.println("OK");
    }
}
