package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl link service|monitor NAME SERVER…}: adds servers to a service or a monitor (maxctrl's
 * link); {@link CtlUnlinkCommand} removes them. Reads the current relationship and PATCHes the new one.
 */
@Command(name = "link", mixinStandardHelpOptions = true, description = "Link servers to a service or monitor.")
class CtlLinkCommand extends CtlVerb {
    enum Type { service, monitor }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    Type type;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "SERVER")
    List<String> targets = new ArrayList<>();

    boolean adding() {
        return true;
    }

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        String path = "/v1/" + type.name() + "s/" + AdminClient.encode(name);
        JsonNode current = client.get(path);
        List<String> servers = Documents.ids(current, "servers");
        for (String t : targets) {
            if (adding() && !servers.contains(t)) {
                servers.add(t);
            } else if (!adding()) {
                servers.remove(t);
            }
        }
        ObjectNode links = Documents.links("servers", servers);
        client.send("PATCH", path + "/relationships/servers", links);
        out.println("OK");
    }
}
