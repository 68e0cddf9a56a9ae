package dev.sluice.cli;

import picocli.CommandLine.Command;

/** {@code sluice ctl unlink service|monitor NAME SERVER…}: removes servers from a service or a monitor. */
@Command(name = "unlink", mixinStandardHelpOptions = true, description = "Unlink servers from a service or monitor.")
class CtlUnlinkCommand extends CtlLinkCommand {
    @Override
    boolean adding() {
        return false;
    }
}
