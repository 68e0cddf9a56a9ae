package dev.sluice.modules.readconnroute;

import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Orders a service's servers by preference for a new connection: only eligible ones (usable and of a wanted
 * role), the best rank first, then the fewest current connections, then configuration order. Pure logic.
 *
 * <p>Role rules: a server qualifies if it has any role named in {@code router_options} ({@code running}
 * accepts every running server). With {@code slave} and no usable replica the primary is used. Without
 * {@code master} in the options, {@code master_accept_reads=false} keeps the primary out. Replicas behind by
 * more than {@code max_replication_lag} are skipped.
 */
final class ServerChooser {
    private final ReadConnRouteConfig config;

    ServerChooser(ReadConnRouteConfig config) {
        this.config = config;
    }

    List<Server> candidates(List<Server> servers, ToIntFunction<Server> connections) {
        List<Server> chosen = new ArrayList<>();
        for (Server s : servers) {
            if (eligible(s.status())) {
                chosen.add(s);
            }
        }
        if (chosen.isEmpty() && config.slave()) {
            for (Server s : servers) {
                ServerStatus st = s.status();
                if (st.isUsable() && st.isMaster()) {
                    chosen.add(s);
                }
            }
        }
        if (chosen.isEmpty()) {
            return chosen;
        }
        int bestRank = chosen.stream().mapToInt(Server::rank).min().orElse(0);
        chosen.removeIf(s -> s.rank() != bestRank);
        // stable sort keeps configuration order among equals
        chosen.sort(Comparator.comparingInt(connections));
        return chosen;
    }

    private boolean eligible(ServerStatus st) {
        if (!st.isUsable()) {
            return false;
        }
        boolean isMaster = st.isMaster();
        boolean isSlave = st.isSlave();
        if (isMaster && !config.master() && !config.masterAcceptReads()) {
            return false;
        }
        if (isSlave && tooFarBehind(st)) {
            return false;
        }
        if (config.running()) {
            return true;
        }
        return (config.master() && isMaster) || (config.slave() && isSlave)
                || (config.synced() && st.is(StatusBit.SYNCED));
    }

    private boolean tooFarBehind(ServerStatus st) {
        long max = config.maxReplicationLag().toSeconds();
        return max > 0 && st.replicationLag() > max;
    }
}
