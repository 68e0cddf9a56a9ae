package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl show server|service|listener|monitor|session|filter|module|thread|user NAME}, their plurals
 * (every object of the type), and {@code show maxscale}: maxctrl's box of fields and values, JSON objects
 * indented inside it ({@code --json}: the resource's data as indented JSON). {@code show commands MODULE}: the
 * module's commands; {@code show replication [--monitor M]}: every replication connection mariadbmon sees;
 * {@code show qc_cache [--top N]}: the most used classifier cache entries; {@code show dbusers SERVICE}: the
 * accounts the service loaded. {@code show logging}: the log file, enabled priorities and logging parameters as
 * a table.
 */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show objects.")
final class CtlShowCommand extends CtlVerb {
    enum What {
        server, service, listener, monitor, session, filter, module, thread, user, servers, services, listeners,
        monitors, sessions, filters, modules, threads, users, maxscale, commands, replication, qc_cache, dbusers,
        logging
    }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    What what;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The object (not for maxscale and "
            + "the plurals).")
    String name;

    @Option(names = "--monitor", description = "show replication: only this monitor's servers.")
    String monitor;

    @Option(names = "--top", defaultValue = "20", description = "show qc_cache: how many entries (default 20).")
    int top;

    /** A field of a {@code show} box: its label and where its value is in a resource. */
    private record Field(String label, String pointer) {
    }

    private static final List<Field> SERVER = List.of(new Field("Server", "/id"),
            new Field("Address", "/attributes/parameters/address"), new Field("Port", "/attributes/parameters/port"),
            new Field("State", "/attributes/state"), new Field("Version", "/attributes/version_string"),
            new Field("Services", "/relationships/services/data[]"),
            new Field("Monitors", "/relationships/monitors/data[]"), new Field("Node ID", "/attributes/node_id"),
            new Field("Replication Lag", "/attributes/replication_lag"),
            new Field("Current Connections", "/attributes/statistics/connections"),
            new Field("Total Connections", "/attributes/statistics/total_connections"),
            new Field("Statistics", "/attributes/statistics"), new Field("Parameters", "/attributes/parameters"));
    private static final List<Field> SERVICE = List.of(new Field("Service", "/id"),
            new Field("Router", "/attributes/router"), new Field("State", "/attributes/state"),
            new Field("Started At", "/attributes/started"),
            new Field("Current Connections", "/attributes/statistics/connections"),
            new Field("Total Connections", "/attributes/statistics/total_connections"),
            new Field("Cluster", "/relationships/monitors/data[]"),
            new Field("Servers", "/relationships/servers/data[]"),
            new Field("Services", "/relationships/services/data[]"),
            new Field("Filters", "/relationships/filters/data[]"),
            new Field("Listeners", "/relationships/listeners/data[]"),
            new Field("Parameters", "/attributes/parameters"), new Field("Statistics", "/attributes/statistics"),
            new Field("Router Diagnostics", "/attributes/router_diagnostics"));
    private static final List<Field> MONITOR = List.of(new Field("Monitor", "/id"),
            new Field("Module", "/attributes/module"), new Field("State", "/attributes/state"),
            new Field("Servers", "/relationships/servers/data[]"),
            new Field("Services", "/relationships/services/data[]"),
            new Field("Parameters", "/attributes/parameters"),
            new Field("Monitor Diagnostics", "/attributes/monitor_diagnostics"));
    private static final List<Field> LISTENER = List.of(new Field("Name", "/id"),
            new Field("Service", "/relationships/services/data[]"), new Field("State", "/attributes/state"),
            new Field("Bound Port", "/attributes/bound_port"), new Field("Parameters", "/attributes/parameters"));
    private static final List<Field> SESSION = List.of(new Field("Id", "/id"),
            new Field("Service", "/relationships/services/data[]"), new Field("State", "/attributes/state"),
            new Field("User", "/attributes/user"), new Field("Host", "/attributes/remote"),
            new Field("Listener", "/attributes/listener"), new Field("Connected", "/attributes/connected"),
            new Field("Idle", "/attributes/idle"), new Field("Queries", "/attributes/queries"),
            new Field("Thread", "/attributes/thread"), new Field("Configuration", "/attributes/configuration"));
    private static final List<Field> FILTER = List.of(new Field("Filter", "/id"),
            new Field("Module", "/attributes/module"), new Field("Services", "/relationships/services/data[]"),
            new Field("Parameters", "/attributes/parameters"),
            new Field("Diagnostics", "/attributes/filter_diagnostics"));
    private static final List<Field> MODULE = List.of(new Field("Module", "/id"),
            new Field("Type", "/attributes/module_type"), new Field("Version", "/attributes/version"),
            new Field("Maturity", "/attributes/maturity"), new Field("Description", "/attributes/description"),
            new Field("Parameters", "/attributes/parameters"), new Field("Commands", "/attributes/commands"));
    private static final List<Field> THREAD = List.of(new Field("Id", "/id"), new Field("Stats", "/attributes/stats"));
    private static final List<Field> USER = List.of(new Field("Name", "/id"),
            new Field("Type", "/attributes/account"), new Field("Created", "/attributes/created"),
            new Field("Last Login", "/attributes/last_login"));
    private static final List<Field> MAXSCALE = List.of(new Field("Version", "/attributes/version"),
            new Field("Commit", "/attributes/commit"), new Field("Started At", "/attributes/started_at"),
            new Field("Activated At", "/attributes/activated_at"), new Field("Uptime", "/attributes/uptime"),
            new Field("Config Sync", "/attributes/config_sync"), new Field("Parameters", "/attributes/parameters"));

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        switch (what) {
            case logging -> {
                CtlLogging.show(client, format(), out);
                return;
            }
            case maxscale -> {
                resource(out, client.get("/v1/maxscale").get("data"), MAXSCALE);
                return;
            }
            case replication -> {
                replication(client.get("/v1/monitors").path("data"), out);
                return;
            }
            case qc_cache -> {
                qcCache(client.get("/v1/maxscale/query_classifier/cache?top=" + top).path("data"), out);
                return;
            }
            case servers, services, listeners, monitors, sessions, filters, modules, threads, users -> {
                String path = switch (what) {
                    case modules -> "/v1/maxscale/modules";
                    case threads -> "/v1/maxscale/threads";
                    case users -> "/v1/users/inet";
                    default -> "/v1/" + what.name();
                };
                JsonNode all = client.get(path).path("data");
                if (format() == CtlCommand.Format.JSON) {
                    printJson(out, all);
                    return;
                }
                List<Field> fields = fieldsOf(What.valueOf(what.name().substring(0, what.name().length() - 1)));
                for (JsonNode one : all) {
                    Table.printFields(out, rows(one, fields));
                }
                return;
            }
            default -> {
                // one named object, below
            }
        }
        if (name == null) {
            throw new AdminClient.ApiException("show " + what + " needs the NAME of the " + what);
        }
        if (what == What.commands) {
            commands(client.get("/v1/maxscale/modules/" + AdminClient.encode(name)), out);
            return;
        }
        if (what == What.dbusers) {
            dbusers(client.get("/v1/services/" + AdminClient.encode(name)).at("/data/attributes/users"), out);
            return;
        }
        String collection = switch (what) {
            case module -> "/v1/maxscale/modules/";
            case thread -> "/v1/maxscale/threads/";
            case user -> "/v1/users/inet/";
            default -> "/v1/" + what.name() + "s/";
        };
        resource(out, client.get(collection + AdminClient.encode(name)).get("data"), fieldsOf(what));
    }

    private static List<Field> fieldsOf(What one) {
        return switch (one) {
            case server -> SERVER;
            case service -> SERVICE;
            case monitor -> MONITOR;
            case listener -> LISTENER;
            case session -> SESSION;
            case filter -> FILTER;
            case module -> MODULE;
            case thread -> THREAD;
            case user -> USER;
            default -> MAXSCALE;
        };
    }

    private void resource(PrintWriter out, JsonNode data, List<Field> fields) throws AdminClient.ApiException {
        if (format() == CtlCommand.Format.JSON) {
            printJson(out, data);
            return;
        }
        List<List<String>> rows = rows(data, fields);
        if (format() == CtlCommand.Format.TSV) {
            Table.print(out, format(), List.of("Field", "Value"), rows);
        } else {
            Table.printFields(out, rows);
        }
    }

    private static List<List<String>> rows(JsonNode data, List<Field> fields) throws AdminClient.ApiException {
        List<List<String>> rows = new ArrayList<>();
        for (Field f : fields) {
            rows.add(List.of(f.label(), value(data, f.pointer())));
        }
        return rows;
    }

    /** A field's text: ids of a relationship ({@code …/data[]}), scalars as they are, JSON indented. */
    private static String value(JsonNode data, String pointer) throws AdminClient.ApiException {
        if (pointer.endsWith("[]")) {
            List<String> ids = new ArrayList<>();
            data.at(pointer.substring(0, pointer.length() - 2)).forEach(d -> ids.add(d.path("id").asText()));
            return String.join("\n", ids);
        }
        JsonNode v = data.at(pointer);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        try {
            return AdminClient.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new AdminClient.ApiException("cannot print the answer: " + e.getMessage());
        }
    }

    /** maxctrl's {@code show replication}: one row per replication connection of each mariadbmon server. */
    private void replication(JsonNode monitors, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode m : monitors) {
            if ((monitor != null && !monitor.equals(m.path("id").asText()))
                    || !m.at("/attributes/module").asText().equals("mariadbmon")) {
                continue;
            }
            for (JsonNode srv : m.at("/attributes/monitor_diagnostics/server_info")) {
                for (JsonNode c : srv.path("slave_connections")) {
                    String source = c.hasNonNull("master_server_name") ? c.get("master_server_name").asText()
                            : c.path("master_host").asText() + ":" + c.path("master_port").asText();
                    rows.add(List.of(srv.path("name").asText(), source, c.path("slave_io_running").asText(),
                            c.path("slave_sql_running").asText(), c.path("gtid_io_pos").asText(),
                            c.path("using_gtid").asText(), c.path("seconds_behind_master").asText()));
                }
            }
        }
        Table.print(out, format(), List.of("Replica", "Primary", "IO Running", "SQL Running", "Gtid IO Pos",
                "Gtid mode", "Lag (s)"), rows);
    }

    private void qcCache(JsonNode entries, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode e : entries) {
            rows.add(List.of(e.path("id").asText(), e.at("/attributes/hits").asText(),
                    e.at("/attributes/classification/type_mask").asText(),
                    e.at("/attributes/classification/size").asText()));
        }
        Table.print(out, format(), List.of("Statement", "Hits", "Type", "Size"), rows);
    }

    private void dbusers(JsonNode users, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode u : users) {
            rows.add(List.of(u.path("user").asText(), u.path("host").asText(), u.path("plugin").asText(),
                    u.path("ssl").asText(), u.path("global_priv").asText(), u.path("default_role").asText()));
        }
        Table.print(out, format(), List.of("User", "Host", "Plugin", "TLS", "Global", "Role"), rows);
    }

    private void commands(JsonNode module, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode c : module.at("/data/attributes/commands")) {
            List<String> types = new ArrayList<>();
            List<String> descriptions = new ArrayList<>();
            c.at("/attributes/parameters").forEach(p -> {
                types.add(p.path("type").asText());
                descriptions.add(p.path("type").asText() + " - " + p.path("description").asText());
            });
            rows.add(List.of(c.path("id").asText(), String.join(" ", types), String.join("; ", descriptions)));
        }
        Table.print(out, format(), List.of("Command", "Parameters", "Descriptions"), rows);
    }

    static void printJson(PrintWriter out, JsonNode node) throws AdminClient.ApiException {
        try {
            out.println(AdminClient.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new AdminClient.ApiException("cannot print the answer: " + e.getMessage());
        }
    }
}
