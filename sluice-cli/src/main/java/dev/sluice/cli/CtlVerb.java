package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code sluice ctl} verb shares: a client per target host built from the inherited options,
 * output, errors. A verb may sit directly under {@code ctl} or under a verb group ({@code create user}).
 */
abstract class CtlVerb implements Callable<Integer> {
    /** The {@code ctl} command whose options apply; set when the verb runs. */
    CtlCommand ctl;

    @Spec
    CommandSpec spec;

    abstract void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ctl = ctlCommand(spec);
        try {
            ctl.applyOptionFile(ctl.spec.commandLine().getParseResult());
        } catch (AdminClient.ApiException e) {
            err.println("Error: " + e.getMessage());
            err.flush();
            return 2;
        }
        List<String> targets = ctl.targets();
        int exit = 0;
        for (String target : targets) {
            if (targets.size() > 1) {
                out.println(target);
            }
            try {
                run(ctl.client(target), out);
            } catch (AdminClient.ApiException e) {
                out.flush();
                err.println("Error: " + (targets.size() > 1 ? target + ": " : "") + e.getMessage());
                err.flush();
                exit = 1;
            }
            out.flush();
        }
        return exit;
    }

    CtlCommand.Format format() {
        return ctl.format();
    }

    private static CtlCommand ctlCommand(CommandSpec spec) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            if (s.userObject() instanceof CtlCommand c) {
                return c;
            }
        }
        throw new IllegalStateException("verb " + spec.name() + " is not under sluice ctl");
    }
}
