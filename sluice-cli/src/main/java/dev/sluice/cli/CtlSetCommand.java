package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl set server NAME STATE… [--force]}: maintenance (closes the sessions using the server, each after
 * its transaction; {@code --force}: at once), drain, and on a server no monitor watches master, slave, running,
 * synced. {@link CtlClearCommand} clears them.
 */
@Command(name = "set", mixinStandardHelpOptions = true, description = "Set server states.")
class CtlSetCommand extends CtlVerb {
    enum Type { server }

    enum State { maintenance, drain, master, slave, running, synced }

    @Option(names = "--force", description = "With maintenance: close every connection to the server at once.")
    boolean force;

    @Parameters(index = "0", paramLabel = "server")
    Type type;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "STATE", description = "One or more of: "
            + "${COMPLETION-CANDIDATES}.")
    List<State> states;

    /** "set" or "clear": the last segment of the PUT. */
    String action() {
        return "set";
    }

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        for (State state : states) {
            client.put("/v1/servers/" + AdminClient.encode(name) + "/" + action() + "?"
                    + (force && action().equals("set") ? "force=yes&" : "") + "state=" + state.name());
        }
        out.println("OK");
    }
}
