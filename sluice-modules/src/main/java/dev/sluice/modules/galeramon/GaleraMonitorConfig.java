package dev.sluice.modules.galeramon;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import dev.sluice.modules.monitor.MonitorSettings;

/**
 * The parameters of {@code galeramon}, with MaxScale's names and defaults (all booleans, all {@code false},
 * all changeable at runtime), and the immutable snapshot the monitor thread reads. Every one is acted on:
 * {@link GaleraRoles} reads the first five, {@link GaleraMonitor} {@code set_donor_nodes}.
 */
public final class GaleraMonitorConfig {

    public static final Param<Boolean> DISABLE_MASTER_FAILBACK = Param.bool("disable_master_failback", false,
            "Keep the current Master while it stays Synced, even when the node it replaced comes back.")
            .modifiable();
    public static final Param<Boolean> AVAILABLE_WHEN_DONOR = Param.bool("available_when_donor", false,
            "A donor of a non-blocking SST (mariabackup, xtrabackup) stays usable.").modifiable();
    public static final Param<Boolean> DISABLE_MASTER_ROLE_SETTING = Param.bool("disable_master_role_setting",
            false, "Assign no Master or Slave role: Synced is the only status set.").modifiable();
    public static final Param<Boolean> ROOT_NODE_AS_MASTER = Param.bool("root_node_as_master", false,
            "Only the node with wsrep_local_index 0 may be the Master.").modifiable();
    public static final Param<Boolean> USE_PRIORITY = Param.bool("use_priority", false,
            "Choose the Master by the servers' priority (lowest positive first) instead of wsrep_local_index.")
            .modifiable();
    public static final Param<Boolean> SET_DONOR_NODES = Param.bool("set_donor_nodes", false,
            "Set wsrep_sst_donor on the Slave nodes to a sorted list of the other Slave nodes (needs SUPER).")
            .modifiable();

    public static final ParamSpec SPEC = ParamSpec.of(DISABLE_MASTER_FAILBACK, AVAILABLE_WHEN_DONOR,
            DISABLE_MASTER_ROLE_SETTING, ROOT_NODE_AS_MASTER, USE_PRIORITY, SET_DONOR_NODES);

    private final MonitorSettings settings;
    private final boolean disableMasterFailback;
    private final boolean availableWhenDonor;
    private final boolean disableMasterRoleSetting;
    private final boolean rootNodeAsMaster;
    private final boolean usePriority;
    private final boolean setDonorNodes;

    GaleraMonitorConfig(MonitorSettings settings, boolean disableMasterFailback, boolean availableWhenDonor,
                        boolean disableMasterRoleSetting, boolean rootNodeAsMaster, boolean usePriority,
                        boolean setDonorNodes) {
        this.settings = settings;
        this.disableMasterFailback = disableMasterFailback;
        this.availableWhenDonor = availableWhenDonor;
        this.disableMasterRoleSetting = disableMasterRoleSetting;
        this.rootNodeAsMaster = rootNodeAsMaster;
        this.usePriority = usePriority;
        this.setDonorNodes = setDonorNodes;
    }

    public static GaleraMonitorConfig from(ParamValues values) {
        return new GaleraMonitorConfig(MonitorSettings.from(values), values.get(DISABLE_MASTER_FAILBACK),
                values.get(AVAILABLE_WHEN_DONOR), values.get(DISABLE_MASTER_ROLE_SETTING),
                values.get(ROOT_NODE_AS_MASTER), values.get(USE_PRIORITY), values.get(SET_DONOR_NODES));
    }

    public MonitorSettings settings() {
        return settings;
    }

    public boolean disableMasterFailback() {
        return disableMasterFailback;
    }

    public boolean availableWhenDonor() {
        return availableWhenDonor;
    }

    public boolean disableMasterRoleSetting() {
        return disableMasterRoleSetting;
    }

    public boolean rootNodeAsMaster() {
        return rootNodeAsMaster;
    }

    public boolean usePriority() {
        return usePriority;
    }

    public boolean setDonorNodes() {
        return setDonorNodes;
    }
}
