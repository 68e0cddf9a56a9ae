package dev.sluice.modules.readconnroute;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import java.time.Duration;
import java.util.List;

/** The parameters of readconnroute, declared once, and the immutable snapshot a router instance uses. */
public record ReadConnRouteConfig(boolean master, boolean slave, boolean synced, boolean running,
                                  boolean masterAcceptReads, Duration maxReplicationLag) {

    public static final Param<List<String>> ROUTER_OPTIONS = Param.enumList("router_options", List.of("running"),
            List.of("master", "slave", "synced", "running"),
            "Roles a server must have to be chosen: master, slave, synced, running (any of them).").modifiable();
    public static final Param<Boolean> MASTER_ACCEPT_READS = Param.bool("master_accept_reads", true,
            "Whether the primary may be chosen when router_options does not name master.").modifiable();
    public static final Param<Duration> MAX_REPLICATION_LAG = Param.duration("max_replication_lag", Duration.ZERO,
            "Replicas lagging more than this are not chosen; 0s disables the check.").modifiable();

    public static final ParamSpec SPEC = ParamSpec.of(ROUTER_OPTIONS, MASTER_ACCEPT_READS, MAX_REPLICATION_LAG);

    public static ReadConnRouteConfig from(ParamValues values) {
        List<String> options = values.get(ROUTER_OPTIONS);
        return new ReadConnRouteConfig(options.contains("master"), options.contains("slave"),
                options.contains("synced"), options.contains("running"), values.get(MASTER_ACCEPT_READS),
                values.get(MAX_REPLICATION_LAG));
    }
}
