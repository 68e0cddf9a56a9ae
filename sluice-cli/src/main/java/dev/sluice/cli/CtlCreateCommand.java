package dev.sluice.cli;

import picocli.CommandLine.Command;

/** {@code sluice ctl create TYPE …}: a group, one subcommand per object type ({@code create user}). */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create an object.",
        subcommands = {CtlCreateUserCommand.class})
final class CtlCreateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "create: which type? (see --help)");
    }
}
