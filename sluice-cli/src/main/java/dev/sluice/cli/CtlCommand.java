package dev.sluice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code sluice ctl}: the admin client, maxctrl's verbs over Sluice's REST API. Connection options are
 * inherited by every verb: {@code sluice ctl list servers --port 8990}. Exit code 0 on success, 1 with the
 * server's error text on failure, 2 for a bad command line.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Administer a running Sluice through its REST API.",
        subcommands = {CtlListCommand.class, CtlShowCommand.class, CtlSetCommand.class, CtlClearCommand.class,
                CtlCallCommand.class, CtlCreateCommand.class, CtlAlterCommand.class, CtlDestroyCommand.class,
                CtlLinkCommand.class, CtlUnlinkCommand.class, CtlStartCommand.class, CtlStopCommand.class,
                CtlReloadCommand.class})
public final class CtlCommand implements Callable<Integer> {
    @Option(names = {"-H", "--host"}, defaultValue = "127.0.0.1", scope = ScopeType.INHERIT,
            description = "Admin API host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-P", "--port"}, defaultValue = "8989", scope = ScopeType.INHERIT,
            description = "Admin API port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-u", "--user"}, defaultValue = "admin", scope = ScopeType.INHERIT,
            description = "Admin user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = {"-p", "--password"}, defaultValue = "mariadb", scope = ScopeType.INHERIT,
            description = "Admin password (default: ${DEFAULT-VALUE}).")
    String password;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    AdminClient client() {
        return new AdminClient(host, port, user, password);
    }

    /** A command line for {@code sluice ctl} alone (tests, embedding). */
    public static CommandLine commandLine() {
        return new CommandLine(new CtlCommand());
    }
}
