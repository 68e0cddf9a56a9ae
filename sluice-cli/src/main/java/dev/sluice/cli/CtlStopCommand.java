package dev.sluice.cli;

import picocli.CommandLine.Command;

/** {@code sluice ctl stop service|listener|monitor NAME}. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a service, listener or monitor.")
class CtlStopCommand extends CtlStartCommand {
    @Override
    String action() {
        return "stop";
    }
}
