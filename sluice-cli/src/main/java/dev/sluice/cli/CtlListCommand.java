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
    enum What { servers, services, listeners, monitors, sessions, filters, modules, threads, users, commands, queries }

    @picocli.CommandLine.Option(names = {"-l", "--max-length"}, defaultValue = "120",
            description = "list queries: cut statements after this many characters (0: never).")
    int maxLength;

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    What what;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        if (what == What.queries) {
            queries(client, out);
            return;
        }
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
            case queries -> throw new IllegalStateException("answered above");
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
                        a.path("total_connections").asText(), targets(r)));
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
                case queries -> throw new IllegalStateException("answered above");
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

    /**
     * maxctrl's {@code list queries}: the statement each session is running now, from the statements sessions
     * retain ({@code retain_last_statements} must be above 0, as in MaxScale).
     */
    private void queries(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        JsonNode retain = client.get("/v1/maxscale").at("/data/attributes/parameters/retain_last_statements");
        if (retain.asLong(0) <= 0) {
            throw new AdminClient.ApiException("the 'retain_last_statements' parameter must be enabled for list "
                    + "queries to work: sluice ctl alter maxscale retain_last_statements 1");
        }
        List<List<String>> rows = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (JsonNode s : client.get("/v1/sessions").path("data")) {
            JsonNode current = s.at("/attributes/queries/0");
            if (!current.isObject() || current.path("completed").asBoolean(false)
                    || current.hasNonNull("completed") && !current.get("completed").isBoolean()) {
                continue; // no statement, or the last one has finished
            }
            String statement = current.path("statement").asText();
            if (maxLength > 0 && statement.length() > maxLength) {
                statement = statement.substring(0, maxLength) + "...";
            }
            String duration = "";
            try {
                long received = java.time.ZonedDateTime.parse(current.path("received").asText(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                duration = (now - received) / 1000 + "s";
            } catch (java.time.format.DateTimeParseException e) {
                // the server did not say when: leave it empty
            }
            JsonNode a = s.path("attributes");
            rows.add(List.of(s.path("id").asText(), a.path("user").asText(), a.path("remote").asText(), duration,
                    statement));
        }
        Table.print(out, format(), List.of("Session", "User", "Host", "Duration", "Statement"), rows);
    }

    /** A service's targets as maxctrl lists them (servers, then services), or its cluster (the monitor). */
    private static String targets(JsonNode service) {
        List<String> all = new ArrayList<>();
        for (String kind : List.of("servers", "services", "monitors")) {
            service.at("/relationships/" + kind + "/data").forEach(d -> all.add(d.path("id").asText()));
        }
        return String.join(", ", all);
    }

    private static String ids(JsonNode relationshipData) {
        List<String> ids = new ArrayList<>();
        relationshipData.forEach(d -> ids.add(d.path("id").asText()));
        return String.join(", ", ids);
    }
}
