package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl reload service NAME}: reloads the service's user accounts from its servers now.
 * {@code sluice ctl reload session ID} and {@code reload sessions}: the session(s) take the current service
 * configuration at their next safe point (outside a transaction, no reply in flight), keeping their client
 * connection, as maxctrl's verbs of the same names. {@code reload tls}: listeners and the admin API read their
 * certificates again; running sessions keep their connection.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Reload a service's user accounts, or restart sessions with the current configuration.")
class CtlReloadCommand extends CtlVerb {
    enum Type { service, session, sessions, tls }

    @Parameters(index = "0", paramLabel = "TYPE", description = "One of: ${COMPLETION-CANDIDATES}.")
    Type type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Service name or session id.")
    String name;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        if (type == Type.tls) {
            client.post("/v1/maxscale/tls/reload");
        } else if (type == Type.sessions) {
            if (name != null) {
                throw new AdminClient.ApiException("reload sessions: takes no argument, got '" + name + "'");
            }
            client.post("/v1/sessions/restart");
        } else if (name == null) {
            throw new AdminClient.ApiException("reload " + type + ": missing the " + (type == Type.service
                    ? "service name" : "session id"));
        } else if (type == Type.session) {
            client.post("/v1/sessions/" + AdminClient.encode(name) + "/restart");
        } else {
            client.post("/v1/services/" + AdminClient.encode(name) + "/reload");
        }
        out.println("OK");
    }
}
