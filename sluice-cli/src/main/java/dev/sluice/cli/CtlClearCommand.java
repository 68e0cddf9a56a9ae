package dev.sluice.cli;

import picocli.CommandLine.Command;

/** {@code sluice ctl clear server NAME STATE…}: the states {@link CtlSetCommand} sets. */
@Command(name = "clear", mixinStandardHelpOptions = true, description = "Clear server states.")
final class CtlClearCommand extends CtlSetCommand {
    @Override
    String action() {
        return "clear";
    }
}
