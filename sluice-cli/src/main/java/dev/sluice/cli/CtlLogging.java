package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The logging verbs' requests, as maxctrl makes them: {@code PATCH /v1/maxscale/logs} with logging parameters
 * ({@code alter logging}, {@code enable|disable log-priority}), {@code GET /v1/maxscale/logs} ({@code show
 * logging}) and {@code POST /v1/maxscale/logs/flush} ({@code rotate logs}).
 */
final class CtlLogging {
    static final List<String> PRIORITIES = List.of("info", "debug", "notice", "warning");

    private CtlLogging() {
    }

    /** {@code enable|disable log-priority PRIORITY}: sets {@code log_PRIORITY}. */
    static void priority(AdminClient client, String what, String priority, boolean on)
            throws AdminClient.ApiException {
        if (!what.equals("log-priority")) {
            throw new AdminClient.ApiException("unknown object '" + what + "' (expected: log-priority)");
        }
        String p = priority.toLowerCase(Locale.ROOT);
        if (!PRIORITIES.contains(p)) {
            throw new AdminClient.ApiException("unknown log priority '" + priority + "' (expected: one of "
                    + String.join(", ", PRIORITIES) + ")");
        }
        ObjectNode doc = AdminClient.MAPPER.createObjectNode();
        Documents.parameters(Documents.resource(doc, "logs", "logs")).put("log_" + p, on);
        client.send("PATCH", "/v1/maxscale/logs", doc);
    }

    /** {@code alter logging KEY VALUE…}. */
    static void alter(AdminClient client, List<String> pairs) throws AdminClient.ApiException {
        ObjectNode doc = AdminClient.MAPPER.createObjectNode();
        ObjectNode params = Documents.parameters(Documents.resource(doc, "logs", "logs"));
        for (int i = 0; i < pairs.size(); i++) {
            String a = pairs.get(i);
            if (a.contains("=")) {
                Documents.putPairs(params, List.of(a));
            } else if (i + 1 < pairs.size()) {
                params.put(a, pairs.get(++i));
            } else {
                throw new AdminClient.ApiException("parameter '" + a + "' has no value");
            }
        }
        client.send("PATCH", "/v1/maxscale/logs", doc);
    }

    /** {@code show logging}: the log file, the enabled priorities and the logging parameters, as a table. */
    static void show(AdminClient client, CtlCommand.Format format, PrintWriter out) throws AdminClient.ApiException {
        JsonNode data = client.get("/v1/maxscale/logs").get("data");
        if (format == CtlCommand.Format.JSON) {
            CtlShowCommand.printJson(out, data);
            return;
        }
        JsonNode a = data.path("attributes");
        List<String> priorities = new ArrayList<>();
        a.path("log_priorities").forEach(p -> priorities.add(p.asText()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Current Log File", a.path("log_file").isTextual() ? a.path("log_file").asText() : ""));
        rows.add(List.of("Enabled Log Levels", String.join(", ", priorities)));
        rows.add(List.of("Log Source", a.path("log_source").asText()));
        a.path("parameters").fields().forEachRemaining(e -> rows.add(List.of(e.getKey(), e.getValue().isTextual()
                ? e.getValue().asText() : e.getValue().toString())));
        Table.print(out, format, List.of("Key", "Value"), rows);
    }
}
