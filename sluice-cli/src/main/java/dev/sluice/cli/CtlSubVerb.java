package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** One object type of a {@link CtlGroup} verb: runs against the client of the group's {@code ctl}. */
abstract class CtlSubVerb implements Callable<Integer> {
    @ParentCommand
    CtlGroup group;

    @Spec
    CommandSpec spec;

    abstract void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            run(group.ctl.client(), out);
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
