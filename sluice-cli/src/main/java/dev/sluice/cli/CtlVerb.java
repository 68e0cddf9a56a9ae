package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every {@code sluice ctl} verb shares: the client built from the inherited options, output, errors. */
abstract class CtlVerb implements Callable<Integer> {
    @ParentCommand
    CtlCommand ctl;

    @Spec
    CommandSpec spec;

    abstract void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            run(ctl.client(), out);
            out.flush();
            return 0;
        } catch (AdminClient.ApiException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("Error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
