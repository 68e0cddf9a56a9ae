package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice ctl list servers|services|listeners|monitors|sessions}: maxctrl's tables. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List objects as a table.")
final class CtlListCommand extends CtlVerb {
    enum What { servers, services, listeners, monitors, sessions }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    What what;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        JsonNode data = client.get("/v1/" + what.name()).get("data");
        List<String> header = switch (what) {
            case servers -> List.of("Server", "Address", "Port", "Connections", "State");
            case services -> List.of("Service", "Router", "Connections", "Total Connections", "Targets");
            case listeners -> List.of("Name", "Port", "Host", "State", "Service");
            case monitors -> List.of("Monitor", "Module", "State", "Servers");
            case sessions -> List.of("Id", "User", "Host", "Connected", "Idle", "Service");
        };
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : data) {
            JsonNode a = r.path("attributes");
            rows.add(switch (what) {
                case servers -> List.of(r.path("id").asText(), a.at("/parameters/address").asText(),
                        a.at("/parameters/port").asText(), a.at("/statistics/connections").asText(),
                        a.path("state").asText());
                case services -> List.of(r.path("id").asText(), a.path("router").asText(),
                        a.path("connections").asText(), a.path("total_connections").asText(),
                        ids(r.at("/relationships/servers/data")));
                case listeners -> List.of(r.path("id").asText(), a.at("/parameters/port").asText(),
                        a.at("/parameters/address").asText(), a.path("state").asText(),
                        ids(r.at("/relationships/services/data")));
                case monitors -> List.of(r.path("id").asText(), a.path("module").asText(),
                        a.path("state").asText(), ids(r.at("/relationships/servers/data")));
                case sessions -> List.of(r.path("id").asText(), a.path("user").asText(),
                        a.path("remote").asText(), a.path("connected").asText(), a.path("idle").asText(),
                        ids(r.at("/relationships/services/data")));
            });
        }
        Table.print(out, header, rows);
    }

    private static String ids(JsonNode relationshipData) {
        List<String> ids = new ArrayList<>();
        relationshipData.forEach(d -> ids.add(d.path("id").asText()));
        return String.join(", ", ids);
    }
}
