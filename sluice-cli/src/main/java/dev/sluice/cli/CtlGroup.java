package dev.sluice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A verb whose object type is a subcommand ({@code create server …}, {@code destroy listener …}): its
 * {@link CtlSubVerb}s do the work. Without a type it prints its usage (exit 2).
 */
abstract class CtlGroup implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
