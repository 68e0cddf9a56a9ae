package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl destroy server|service|listener|monitor|filter|user NAME [--force]}; maxctrl's
 * {@code destroy listener SERVICE NAME} works too. {@code destroy session ID [--ttl N]}. Without {@code --force} an object in use is refused (400, as MaxScale);
 * with it, what uses the object is unlinked (servers, monitors, filters) or destroyed with it (a service's
 * listeners).
 */
@Command(name = "destroy", mixinStandardHelpOptions = true, description = "Destroy an object.")
class CtlDestroyCommand extends CtlVerb {
    enum Type { server, service, listener, monitor, filter, user, session }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    Type type;

    @Parameters(index = "1..2", arity = "1..2", paramLabel = "NAME", description = "The name (for a listener: "
            + "[SERVICE] NAME).")
    List<String> names;

    @Option(names = "--force", description = "Unlink or destroy what uses the object first.")
    boolean force;

    @Option(names = "--ttl", defaultValue = "0", description = "destroy session: close it after this many seconds.")
    long ttl;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        if (names.size() == 2 && type != Type.listener) {
            throw new AdminClient.ApiException("destroy " + type + " takes one name");
        }
        String name = names.get(names.size() - 1);
        if (type == Type.session) {
            client.delete("/v1/sessions/" + AdminClient.encode(name) + (ttl > 0 ? "?ttl=" + ttl : ""));
            out.println("OK");
            return;
        }
        if (type == Type.listener && names.size() == 2) {
            // maxctrl's form: the listener under its service, which must be the one it feeds
            client.delete("/v1/services/" + AdminClient.encode(names.get(0)) + "/listeners/" + AdminClient.encode(name));
            out.println("OK");
            return;
        }
        if (type == Type.user) {
            client.delete("/v1/users/inet/" + AdminClient.encode(name));
            out.println("OK");
            return;
        }
        client.delete("/v1/" + type.name() + "s/" + AdminClient.encode(name) + (force ? "?force=yes" : ""));
        out.println("OK");
    }
}
