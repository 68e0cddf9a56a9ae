package dev.sluice.modules.galeramon;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.ModuleProvider;
import dev.sluice.api.monitor.MonitorFactory;
import java.util.List;

/** Declares {@code galeramon} to the module registry via ServiceLoader. */
public final class GaleraMonitorModule implements ModuleProvider {

    public static final String NAME = "galeramon";

    @Override
    public List<Module> modules() {
        MonitorFactory factory = GaleraMonitor::new;
        return List.of(new Module(NAME, List.of(), ModuleKind.MONITOR, "0.1.0",
                "Monitors a MariaDB Galera cluster and publishes Synced, Master, Slave, Running and Down",
                GaleraMonitorConfig.SPEC, factory, List.of()));
    }
}
