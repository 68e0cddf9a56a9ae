package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl list servers|services|listeners|monitors|sessions|filters|modules|threads|users|commands}:
 * maxctrl's tables ({@code --tsv} for scripts, {@code --json} for the API's data).
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List objects as a table.")
final class CtlListCommand extends CtlVerb {
    enum What { servers, services, listeners, monitors, sessions, filters, modules, threads, users, commands }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    What what;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        String path = switch (what) {
            case modules, commands -> "/v1/maxscale/modules";
            case threads -> "/v1/maxscale/threads";
            case users -> "/v1/users/inet";
            default -> "/v1/" + what.name();
        };
        JsonNode data = client.get(path).get("data");
        if (format() == CtlCommand.Format.JSON) {
            CtlShowCommand.printJson(out, data);
            return;
        }
        List<String> header = switch (what) {
            case servers -> List.of("Server", "Address", "Port", "Connections", "State");
            case services -> List.of("Service", "Router", "Connections", "Total Connections", "Targets");
            case listeners -> List.of("Name", "Port", "Host", "State", "Service");
            case monitors -> List.of("Monitor", "Module", "State", "Servers");
            case sessions -> List.of("Id", "User", "Host", "Connected", "Idle", "Service");
            case filters -> List.of("Filter", "Service", "Module");
            case modules -> List.of("Module", "Type", "Version");
            case threads -> List.of("Id", "State", "Sessions", "Descriptors", "Event Queue", "Pooled Connections");
            case users -> List.of("Name", "Type", "Created");
            case commands -> List.of("Module", "Commands");
        };
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : data) {
            JsonNode a = r.path("attributes");
            String id = r.path("id").asText();
            switch (what) {
                case servers -> rows.add(List.of(id, a.at("/parameters/address").asText(),
                        a.at("/parameters/port").asText(), a.at("/statistics/connections").asText(),
                        a.path("state").asText()));
                case services -> rows.add(List.of(id, a.path("router").asText(), a.path("connections").asText(),
                        a.path("total_connections").asText(), ids(r.at("/relationships/servers/data"))));
                case listeners -> rows.add(List.of(id, a.at("/parameters/port").asText(),
                        a.at("/parameters/address").asText(), a.path("state").asText(),
                        ids(r.at("/relationships/services/data"))));
                case monitors -> rows.add(List.of(id, a.path("module").asText(), a.path("state").asText(),
                        ids(r.at("/relationships/servers/data"))));
                case sessions -> rows.add(List.of(id, a.path("user").asText(), a.path("remote").asText(),
                        a.path("connected").asText(), a.path("idle").asText(),
                        ids(r.at("/relationships/services/data"))));
                case filters -> rows.add(List.of(id, ids(r.at("/relationships/services/data")),
                        a.path("module").asText()));
                case modules -> rows.add(List.of(id, a.path("module_type").asText(), a.path("version").asText()));
                case threads -> rows.add(List.of(id, a.at("/stats/state").asText(), a.at("/stats/sessions").asText(),
                        a.at("/stats/current_descriptors").asText(), a.at("/stats/event_queue_length").asText(),
                        a.at("/stats/pooled_connections").asText()));
                case users -> rows.add(List.of(id, a.path("account").asText(), a.path("created").asText()));
                case commands -> {
                    List<String> names = new ArrayList<>();
                    a.path("commands").forEach(c -> names.add(c.isObject() ? c.path("id").asText() : c.asText()));
                    if (!names.isEmpty()) {
                        rows.add(List.of(id, String.join(", ", names)));
                    }
                }
            }
        }
        Table.print(out, format(), header, rows);
    }

    private static String ids(JsonNode relationshipData) {
        List<String> ids = new ArrayList<>();
        relationshipData.forEach(d -> ids.add(d.path("id").asText()));
        return String.join(", ", ids);
    }
}
