package dev.sluice.server.config;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import java.time.Duration;
import java.util.List;

/** Stand-ins for the real modules (written elsewhere), with small specs in their spirit. */
final class FakeModules {
    static final Module READCONNROUTE = new Module("readconnroute", List.of(), ModuleKind.ROUTER, "1", "fake",
            ParamSpec.of(
                    Param.enumList("router_options", List.of("running"), List.of("master", "slave", "running",
                            "synced"), "Server roles eligible for routing."),
                    Param.bool("master_accept_reads", false, "Route to the master as if it were a slave."),
                    Param.duration("max_replication_lag", Duration.ZERO, "Maximum lag.")),
            new Object());
    static final Module READWRITESPLIT = new Module("readwritesplit", List.of(), ModuleKind.ROUTER, "1", "fake",
            ParamSpec.of(
                    Param.enumeration("slave_selection_criteria", "least_current_operations",
                            List.of("least_current_operations", "adaptive_routing"), "How replicas are picked."),
                    Param.duration("max_replication_lag", Duration.ZERO, "Maximum lag."),
                    Param.enumeration("causal_reads", "none", List.of("none", "local", "global"), "Causal reads."),
                    Param.duration("causal_reads_timeout", Duration.ofSeconds(10), "Causal read timeout."),
                    Param.bool("transaction_replay", false, "Replay transactions."),
                    Param.bool("master_reconnection", true, "Reconnect to the master."),
                    Param.enumeration("master_failure_mode", "fail_instantly",
                            List.of("fail_instantly", "fail_on_write", "error_on_write"), "Master failure mode."),
                    Param.bool("lazy_connect", false, "Connect on first use.")),
            new Object());
    static final Module MARIADBMON = new Module("mariadbmon", List.of("mysqlmon"), ModuleKind.MONITOR, "1", "fake",
            ParamSpec.of(
                    Param.bool("auto_failover", false, "Fail over automatically."),
                    Param.bool("auto_rejoin", false, "Rejoin automatically."),
                    Param.count("failcount", 5, "Rounds before failover."),
                    Param.bool("enforce_read_only_slaves", false, "Set read_only on replicas."),
                    Param.string("replication_user", "", "Replication user."),
                    Param.password("replication_password", "", "Replication password."),
                    Param.string("cooperative_monitoring_locks", "none", "Locks.")),
            new Object());
    static final Module HINTFILTER = new Module("hintfilter", List.of(), ModuleKind.FILTER, "1", "fake",
            ParamSpec.of(), (dev.sluice.api.filter.FilterFactory) context -> session -> null);

    static final ModuleRegistry REGISTRY = ModuleRegistry.of(List.of(READCONNROUTE, READWRITESPLIT, MARIADBMON,
            HINTFILTER));

    private FakeModules() {
    }
}
