package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl show server|service|listener|monitor|session|filter|module|thread|user NAME} and
 * {@code show maxscale}: the resource's {@code data} as indented JSON. {@code show commands MODULE}: the module's
 * commands as a table (command, its arguments, their descriptions), as maxctrl's. {@code show logging}: the
 * log file, enabled priorities and logging parameters as a table.
 */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one object as JSON.")
final class CtlShowCommand extends CtlVerb {
    enum What { server, service, listener, monitor, session, filter, module, thread, user, maxscale, commands, logging }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    What what;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The object (not for maxscale).")
    String name;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        if (what == What.logging) {
            CtlLogging.show(client, format(), out);
            return;
        }
        if (what == What.maxscale) {
            printJson(out, client.get("/v1/maxscale").get("data"));
            return;
        }
        if (name == null) {
            throw new AdminClient.ApiException("show " + what + " needs the NAME of the " + what);
        }
        if (what == What.commands) {
            commands(client.get("/v1/maxscale/modules/" + AdminClient.encode(name)), out);
            return;
        }
        String collection = switch (what) {
            case module -> "/v1/maxscale/modules/";
            case thread -> "/v1/maxscale/threads/";
            case user -> "/v1/users/inet/";
            default -> "/v1/" + what.name() + "s/";
        };
        printJson(out, client.get(collection + AdminClient.encode(name)).get("data"));
    }

    private void commands(JsonNode module, PrintWriter out) {
        java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
        for (JsonNode c : module.at("/data/attributes/commands")) {
            java.util.List<String> types = new java.util.ArrayList<>();
            java.util.List<String> descriptions = new java.util.ArrayList<>();
            c.at("/attributes/parameters").forEach(p -> {
                types.add(p.path("type").asText());
                descriptions.add(p.path("type").asText() + " - " + p.path("description").asText());
            });
            rows.add(java.util.List.of(c.path("id").asText(), String.join(" ", types),
                    String.join("; ", descriptions)));
        }
        Table.print(out, format(), java.util.List.of("Command", "Parameters", "Descriptions"), rows);
    }

    static void printJson(PrintWriter out, JsonNode node) throws AdminClient.ApiException {
        try {
            out.println(AdminClient.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new AdminClient.ApiException("cannot print the answer: " + e.getMessage());
        }
    }
}
