package dev.sluice.modules.mariadbmon;

import dev.sluice.api.Module;
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
                MariaDbMonitorConfig.SPEC, factory));
    }
}
