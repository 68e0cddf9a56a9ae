package dev.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl create server|service|listener|monitor …}, maxctrl's argument shapes:
 * <pre>
 * create server NAME HOST [PORT] [KEY=VALUE…] [--services S…] [--monitors M…]
 * create service NAME ROUTER [KEY=VALUE…] [--servers S…] [--filters F…]
 * create listener SERVICE NAME PORT [KEY=VALUE…] [--interface ADDRESS]
 * create monitor NAME MODULE [KEY=VALUE…] [--servers S…] [--monitor-user U --monitor-password P]
 * create filter NAME MODULE [KEY=VALUE…]
 * </pre>
 * A HOST starting with {@code /} is a Unix socket.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a server, service, listener, monitor, filter or admin user.",
        subcommands = {CtlCreateCommand.Server.class, CtlCreateCommand.Service.class,
                CtlCreateCommand.Listener.class, CtlCreateCommand.Monitor.class, CtlCreateCommand.Filter.class,
                CtlCreateUserCommand.class, CtlCreateReportCommand.class})
class CtlCreateCommand extends CtlGroup {

    @Command(name = "server", mixinStandardHelpOptions = true, description = "Create a server.")
    static class Server extends CtlSubVerb {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "HOST", description = "Address, or a Unix socket path.")
        String host;

        @Parameters(index = "2..*", paramLabel = "PORT|KEY=VALUE", description = "The port, then parameters.")
        List<String> rest = new ArrayList<>();

        @Option(names = "--services", arity = "1..*", description = "Services to link the server to.")
        List<String> services = new ArrayList<>();

        @Option(names = "--monitors", arity = "1..*", description = "Monitors to link the server to.")
        List<String> monitors = new ArrayList<>();

        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
            ObjectNode doc = AdminClient.MAPPER.createObjectNode();
            ObjectNode data = Documents.resource(doc, "servers", name);
            ObjectNode params = Documents.parameters(data);
            params.put(host.startsWith("/") ? "socket" : "address", host);
            List<String> pairs = new ArrayList<>(rest);
            if (!pairs.isEmpty() && !pairs.get(0).contains("=")) {
                params.put("port", pairs.remove(0));
            }
            Documents.putPairs(params, pairs);
            Documents.relationship(data, "services", services);
            Documents.relationship(data, "monitors", monitors);
            client.send("POST", "/v1/servers", doc);
            out.println("OK");
        }
    }

    @Command(name = "service", mixinStandardHelpOptions = true, description = "Create a service.")
    static class Service extends CtlSubVerb {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ROUTER")
        String router;

        @Parameters(index = "2..*", paramLabel = "KEY=VALUE")
        List<String> pairs = new ArrayList<>();

        @Option(names = "--servers", arity = "1..*", description = "Servers to link the service to.")
        List<String> servers = new ArrayList<>();

        @Option(names = "--filters", arity = "1..*", description = "Filters of the service, in order.")
        List<String> filters = new ArrayList<>();

        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
            ObjectNode doc = AdminClient.MAPPER.createObjectNode();
            ObjectNode data = Documents.resource(doc, "services", name);
            ((ObjectNode) data.get("attributes")).put("router", router);
            Documents.putPairs(Documents.parameters(data), pairs);
            Documents.relationship(data, "servers", servers);
            Documents.relationship(data, "filters", filters);
            client.send("POST", "/v1/services", doc);
            out.println("OK");
        }
    }

    @Command(name = "listener", mixinStandardHelpOptions = true, description = "Create a listener.")
    static class Listener extends CtlSubVerb {
        @Parameters(index = "0", paramLabel = "SERVICE")
        String service;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Parameters(index = "2", paramLabel = "PORT")
        String port;

        @Parameters(index = "3..*", paramLabel = "KEY=VALUE")
        List<String> pairs = new ArrayList<>();

        @Option(names = "--interface", description = "The address to listen on (default: all).")
        String address;

        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
            ObjectNode doc = AdminClient.MAPPER.createObjectNode();
            ObjectNode data = Documents.resource(doc, "listeners", name);
            ObjectNode params = Documents.parameters(data);
            params.put("port", port);
            if (address != null) {
                params.put("address", address);
            }
            Documents.putPairs(params, pairs);
            Documents.relationship(data, "services", List.of(service));
            client.send("POST", "/v1/listeners", doc);
            out.println("OK");
        }
    }

    @Command(name = "monitor", mixinStandardHelpOptions = true, description = "Create a monitor.")
    static class Monitor extends CtlSubVerb {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "MODULE")
        String module;

        @Parameters(index = "2..*", paramLabel = "KEY=VALUE")
        List<String> pairs = new ArrayList<>();

        @Option(names = "--servers", arity = "1..*", description = "Servers to monitor.")
        List<String> servers = new ArrayList<>();

        @Option(names = "--monitor-user", description = "The monitor's user.")
        String user;

        @Option(names = "--monitor-password", description = "The monitor's password.")
        String password;

        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
            ObjectNode doc = AdminClient.MAPPER.createObjectNode();
            ObjectNode data = Documents.resource(doc, "monitors", name);
            ((ObjectNode) data.get("attributes")).put("module", module);
            ObjectNode params = Documents.parameters(data);
            if (user != null) {
                params.put("user", user);
            }
            if (password != null) {
                params.put("password", password);
            }
            Documents.putPairs(params, pairs);
            Documents.relationship(data, "servers", servers);
            client.send("POST", "/v1/monitors", doc);
            out.println("OK");
        }
    }

    @Command(name = "filter", mixinStandardHelpOptions = true, description = "Create a filter (link it to a service "
            + "with: alter service NAME filters=F1|F2).")
    static class Filter extends CtlSubVerb {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "MODULE")
        String module;

        @Parameters(index = "2..*", paramLabel = "KEY=VALUE")
        List<String> pairs = new ArrayList<>();

        @Override
        void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
            ObjectNode doc = AdminClient.MAPPER.createObjectNode();
            ObjectNode data = Documents.resource(doc, "filters", name);
            ((ObjectNode) data.get("attributes")).put("module", module);
            Documents.putPairs(Documents.parameters(data), pairs);
            client.send("POST", "/v1/filters", doc);
            out.println("OK");
        }
    }
}
