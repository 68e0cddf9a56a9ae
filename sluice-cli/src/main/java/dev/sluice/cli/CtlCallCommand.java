package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl call command MODULE COMMAND [ARGS...]}, as maxctrl's: for example
 * {@code sluice ctl call command mariadbmon switchover Cluster db2 db1}. The first argument of a monitor
 * command is the monitor's name. Prints the command's message; a refused command exits 1 with the reason.
 */
@Command(name = "call", mixinStandardHelpOptions = true, description = "Call a module command.")
class CtlCallCommand extends CtlVerb {
    enum Kind { command }

    @Parameters(index = "0", paramLabel = "command")
    Kind kind;

    @Parameters(index = "1", paramLabel = "MODULE", description = "The module, e.g. mariadbmon.")
    String module;

    @Parameters(index = "2", paramLabel = "COMMAND", description = "e.g. switchover, failover, rejoin.")
    String command;

    @Parameters(index = "3..*", paramLabel = "ARGS", description = "The monitor's name, then the command's arguments.")
    List<String> args = new ArrayList<>();

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        StringBuilder path = new StringBuilder("/v1/maxscale/modules/").append(AdminClient.encode(module)).append('/')
                .append(AdminClient.encode(command));
        for (int i = 0; i < args.size(); i++) {
            path.append(i == 0 ? '?' : '&').append(AdminClient.encode(args.get(i)));
        }
        String message = client.post(path.toString()).at("/meta/message").asText("OK");
        out.println(message.isEmpty() ? "OK" : message);
    }
}
