package dev.sluice.cli;

import picocli.CommandLine.Command;

/** {@code sluice ctl clear server NAME maintenance|drain}. */
@Command(name = "clear", mixinStandardHelpOptions = true,
        description = "Clear a server state: maintenance or drain.")
final class CtlClearCommand extends CtlSetCommand {
    @Override
    String action() {
        return "clear";
    }
}
