package dev.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl alter server|service|listener|monitor|filter NAME KEY VALUE [KEY VALUE…]} (maxctrl's pairs;
 * {@code KEY=VALUE} is accepted too). Changed service and filter parameters apply to new sessions (and to
 * running ones after {@code sluice ctl reload session(s)}). {@code sluice ctl alter user NAME PASSWORD} changes
 * an admin account's password. {@code sluice ctl alter logging KEY VALUE…} changes logging parameters.
 */
@Command(name = "alter", mixinStandardHelpOptions = true, description = "Change parameters of an object.")
class CtlAlterCommand extends CtlVerb {
    enum Type { server, service, listener, monitor, filter, user, logging }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    Type type;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "KEY VALUE", description = "Pairs: KEY VALUE or KEY=VALUE.")
    List<String> args = new ArrayList<>();

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        if (type == Type.user) {
            alterUser(client, out);
            return;
        }
        if (type == Type.logging) {
            List<String> pairs = new ArrayList<>();
            pairs.add(name); // alter logging has no object name: the first word is a key
            pairs.addAll(args);
            CtlLogging.alter(client, pairs);
            out.println("OK");
            return;
        }
        ObjectNode doc = AdminClient.MAPPER.createObjectNode();
        ObjectNode data = Documents.resource(doc, type.name() + "s", name);
        ObjectNode params = Documents.parameters(data);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.contains("=")) {
                Documents.putPairs(params, List.of(a));
            } else if (i + 1 < args.size()) {
                params.put(a, args.get(++i));
            } else {
                throw new AdminClient.ApiException("parameter '" + a + "' has no value");
            }
        }
        client.send("PATCH", "/v1/" + type.name() + "s/" + AdminClient.encode(name), doc);
        out.println("OK");
    }

    /** {@code PATCH /v1/users/inet/NAME} with the new password, as maxctrl's {@code alter user}. */
    private void alterUser(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        if (args.size() != 1) {
            throw new AdminClient.ApiException("alter user: expected NAME PASSWORD, got " + args.size()
                    + " arguments after the name");
        }
        ObjectNode doc = AdminClient.MAPPER.createObjectNode();
        Documents.resource(doc, "inet", name).putObject("attributes").put("password", args.get(0));
        client.send("PATCH", "/v1/users/inet/" + AdminClient.encode(name), doc);
        out.println("OK");
    }
}
