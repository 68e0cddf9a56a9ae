package dev.sluice.cli;

import picocli.CommandLine.Command;

/** {@code sluice ctl destroy TYPE NAME}: a group, one subcommand per object type ({@code destroy user}). */
@Command(name = "destroy", mixinStandardHelpOptions = true, description = "Destroy an object.",
        subcommands = {CtlDestroyUserCommand.class})
final class CtlDestroyCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "destroy: which type? (see --help)");
    }
}
