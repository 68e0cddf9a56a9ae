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
 * an admin account's password; {@code alter maxscale KEY VALUE…} the globals ({@code PATCH /v1/maxscale});
 * {@code alter session ID KEY VALUE…} a session ({@code PATCH /v1/sessions/:id}); {@code alter session-filters ID
 * [FILTER…]} and {@code alter service-filters SERVICE [FILTER…]} replace a filter chain.
 * {@code alter logging KEY VALUE…} changes logging parameters.
 */
@Command(name = "alter", mixinStandardHelpOptions = true, description = "Change parameters of an object.")
class CtlAlterCommand extends CtlVerb {
    enum Type {
        server, service, listener, monitor, filter, user, maxscale, session, session_filters, service_filters, logging
    }

    /** maxctrl writes {@code session-filters}; an enum constant cannot. */
    static final class TypeWord implements picocli.CommandLine.ITypeConverter<Type> {
        @Override
        public Type convert(String value) {
            return Type.valueOf(value.replace('-', '_'));
        }
    }

    @Parameters(index = "0", paramLabel = "TYPE", converter = TypeWord.class, description = "One of: server, service, "
            + "listener, monitor, filter, user, maxscale, session, session-filters, service-filters.")
    Type type;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME KEY VALUE", description = "The object (none for "
            + "maxscale), then pairs: KEY VALUE or KEY=VALUE.")
    List<String> words = new ArrayList<>();

    private String name;
    private List<String> args;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        boolean global = type == Type.maxscale;
        name = global ? null : words.get(0);
        args = words.subList(global ? 0 : 1, words.size());
        if (type == Type.session_filters || type == Type.service_filters) {
            // the whole chain, in order (none: no filters)
            boolean session = type == Type.session_filters;
            ObjectNode doc = AdminClient.MAPPER.createObjectNode();
            ObjectNode data = doc.putObject("data");
            data.putObject("relationships").set("filters", Documents.links("filters", args));
            client.send("PATCH", (session ? "/v1/sessions/" : "/v1/services/") + AdminClient.encode(name), doc);
            out.println("OK");
            return;
        }
        if (args.isEmpty()) {
            throw new AdminClient.ApiException("alter " + type + ": no parameters given (KEY VALUE or KEY=VALUE)");
        }
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
        ObjectNode data = Documents.resource(doc, global ? "maxscale" : type.name() + "s", name);
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
        client.send("PATCH", global ? "/v1/maxscale" : "/v1/" + type.name() + "s/" + AdminClient.encode(name), doc);
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
