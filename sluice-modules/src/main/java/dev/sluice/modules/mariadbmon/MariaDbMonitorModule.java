package dev.sluice.modules.mariadbmon;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleCommand;
import dev.sluice.api.ModuleCommand.Parameter;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.ModuleProvider;
import dev.sluice.api.monitor.MonitorFactory;
import java.util.List;

/** Declares {@code mariadbmon} (old name {@code mysqlmon}) to the module registry via ServiceLoader. */
public final class MariaDbMonitorModule implements ModuleProvider {

    public static final String NAME = "mariadbmon";

    @Override
    public List<Module> modules() {
        MonitorFactory factory = MariaDbMonitor::new;
        return List.of(new Module(NAME, List.of("mysqlmon"), ModuleKind.MONITOR, "0.1.0",
                "Monitors MariaDB primary/replica replication and publishes Master, Slave, Running and Down",
                MariaDbMonitorConfig.SPEC, factory, COMMANDS));
    }

    private static final Parameter MONITOR = Parameter.required("MONITOR", "Monitor name");

    /** What {@link MariaDbMonitor#command} runs, declared for the REST API and {@code sluice ctl list commands}. */
    static final List<ModuleCommand> COMMANDS = commands();

    private static List<ModuleCommand> commands() {
        List<Parameter> switchover = List.of(MONITOR, Parameter.optional("SERVER", "New primary (optional)"),
                Parameter.optional("SERVER", "Current primary (optional)"));
        List<Parameter> rejoin = List.of(MONITOR, Parameter.required("SERVER", "Joining server"));
        List<Parameter> reset = List.of(MONITOR, Parameter.optional("SERVER", "Primary server (optional)"));
        List<Parameter> monitorOnly = List.of(MONITOR);
        String queued = " Returns at once; fetch-cmd-result gives the outcome.";
        return List.of(
                new ModuleCommand("switchover", "POST", "Perform primary switchover", switchover),
                new ModuleCommand("switchover-force", "POST",
                        "Perform primary switchover even if the cluster is not in a state for it", switchover),
                new ModuleCommand("async-switchover", "POST", "Schedule primary switchover." + queued, switchover),
                new ModuleCommand("async-switchover-force", "POST",
                        "Schedule primary switchover even if the cluster is not in a state for it." + queued,
                        switchover),
                new ModuleCommand("failover", "POST", "Perform primary failover", monitorOnly),
                new ModuleCommand("async-failover", "POST", "Schedule primary failover." + queued, monitorOnly),
                new ModuleCommand("failover-safe", "POST",
                        "Perform primary failover unless the replica to promote lacks transactions of the primary",
                        monitorOnly),
                new ModuleCommand("async-failover-safe", "POST",
                        "Schedule primary failover unless it would lose transactions." + queued, monitorOnly),
                new ModuleCommand("rejoin", "POST", "Rejoin server to a cluster", rejoin),
                new ModuleCommand("async-rejoin", "POST", "Rejoin server to a cluster." + queued, rejoin),
                new ModuleCommand("reset-replication", "POST",
                        "Delete replica connections and binary logs, then set up replication again (dangerous)",
                        reset),
                new ModuleCommand("async-reset-replication", "POST",
                        "Delete replica connections and binary logs, then set up replication again (dangerous)."
                                + queued, reset),
                new ModuleCommand("release-locks", "POST", "Release any cooperative monitoring locks held",
                        monitorOnly),
                new ModuleCommand("fetch-cmd-result", "GET", "Fetch the result of the last scheduled command",
                        monitorOnly),
                new ModuleCommand("cancel-cmd", "POST", "Cancel the last scheduled command if it has not started",
                        monitorOnly));
    }
}
