package dev.sluice.modules.mariadbmon;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Who replicates from whom among the monitored servers, built from one tick's {@link ServerSnapshot}s.
 * Pure and immutable: no JDBC, no clock, so every topology rule is unit-tested with plain records.
 *
 * <p>An edge {@code replica → source} exists when a reachable server has a replication connection that
 * {@linkplain ReplicationConnection#isReplicating() is replicating} and whose {@code Master_Host:Master_Port}
 * names a monitored server (case-insensitive host, exact port). With {@code assume_unique_hostnames=false} a
 * connection that matches no address is matched by {@code Master_Server_Id} instead. A replicating
 * connection that matches no monitored server makes its server a replica of an external server. Servers are
 * identified by their index in the {@code servers=} list.
 *
 * <p>Servers that replicate from each other in a cycle (db1 → db2 → db1, or longer) form a <em>multi-primary
 * group</em>: a strongly connected part of the graph with more than one server. {@link #cycleOf(int)} numbers
 * them.
 */
public final class ReplicationGraph {

    /**
     * How a monitored server is addressed in the configuration: {@code address}, and {@code privateAddress} (the
     * server's {@code private_address}, empty when unset), the address the other servers may replicate from it by.
     */
    public record Endpoint(String name, String address, int port, String privateAddress) {

        public Endpoint(String name, String address, int port) {
            this(name, address, port, "");
        }

        /** Whether a replication connection to {@code host:port} is to this server. */
        public boolean matches(String host, int hostPort) {
            return hostPort == port && (address.equalsIgnoreCase(host)
                    || (!privateAddress.isEmpty() && privateAddress.equalsIgnoreCase(host)));
        }
    }

    /** One edge: {@code replica} replicates from {@code source} through {@code connection}. */
    public record Edge(int replica, int source, ReplicationConnection connection) {
    }

    private final List<Endpoint> endpoints;
    private final List<ServerSnapshot> snapshots;
    private final List<List<Edge>> sourcesOf;
    private final List<List<Edge>> replicasOf;
    private final List<List<ReplicationConnection>> externalSourcesOf;
    /** Per server, its multi-primary group (1, 2, …), or 0 when it is in no replication cycle. */
    private final int[] cycle;

    private ReplicationGraph(List<Endpoint> endpoints, List<ServerSnapshot> snapshots, List<List<Edge>> sourcesOf,
                             List<List<Edge>> replicasOf, List<List<ReplicationConnection>> externalSourcesOf) {
        this.endpoints = endpoints;
        this.snapshots = snapshots;
        this.sourcesOf = sourcesOf;
        this.replicasOf = replicasOf;
        this.externalSourcesOf = externalSourcesOf;
        this.cycle = findCycles(sourcesOf);
    }

    /** Tarjan's strongly connected components; components of more than one server are the cycles. */
    private static int[] findCycles(List<List<Edge>> sourcesOf) {
        int n = sourcesOf.size();
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        java.util.Arrays.fill(index, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        int[] cycle = new int[n];
        int[] counters = {0, 0}; // next index, next cycle number
        for (int v = 0; v < n; v++) {
            if (index[v] < 0) {
                strongConnect(v, sourcesOf, index, low, onStack, stack, cycle, counters);
            }
        }
        return cycle;
    }

    private static void strongConnect(int v, List<List<Edge>> sourcesOf, int[] index, int[] low, boolean[] onStack,
                                      Deque<Integer> stack, int[] cycle, int[] counters) {
        index[v] = counters[0];
        low[v] = counters[0];
        counters[0]++;
        stack.push(v);
        onStack[v] = true;
        for (Edge edge : sourcesOf.get(v)) {
            int w = edge.source();
            if (index[w] < 0) {
                strongConnect(w, sourcesOf, index, low, onStack, stack, cycle, counters);
                low[v] = Math.min(low[v], low[w]);
            } else if (onStack[w]) {
                low[v] = Math.min(low[v], index[w]);
            }
        }
        if (low[v] == index[v]) {
            List<Integer> component = new ArrayList<>();
            int w;
            do {
                w = stack.pop();
                onStack[w] = false;
                component.add(w);
            } while (w != v);
            if (component.size() > 1) {
                counters[1]++;
                for (int member : component) {
                    cycle[member] = counters[1];
                }
            }
        }
    }

    public static ReplicationGraph build(List<Endpoint> endpoints, List<ServerSnapshot> snapshots,
                                         boolean assumeUniqueHostnames) {
        if (endpoints.size() != snapshots.size()) {
            throw new IllegalArgumentException("snapshots: " + snapshots.size() + " (expected: one per endpoint, "
                    + endpoints.size() + ")");
        }
        int n = endpoints.size();
        List<List<Edge>> sources = new ArrayList<>();
        List<List<Edge>> replicas = new ArrayList<>();
        List<List<ReplicationConnection>> external = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sources.add(new ArrayList<>());
            replicas.add(new ArrayList<>());
            external.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            ServerSnapshot snapshot = snapshots.get(i);
            if (!snapshot.reachable()) {
                continue; // its connections are unknown this tick
            }
            for (ReplicationConnection connection : snapshot.connections()) {
                if (!connection.isReplicating()) {
                    continue;
                }
                int source = match(connection, endpoints, snapshots, assumeUniqueHostnames);
                if (source < 0 || source == i) {
                    external.get(i).add(connection);
                } else {
                    Edge edge = new Edge(i, source, connection);
                    sources.get(i).add(edge);
                    replicas.get(source).add(edge);
                }
            }
        }
        return new ReplicationGraph(List.copyOf(endpoints), List.copyOf(snapshots), freeze(sources),
                freeze(replicas), freezeConnections(external));
    }

    private static int match(ReplicationConnection connection, List<Endpoint> endpoints,
                             List<ServerSnapshot> snapshots, boolean assumeUniqueHostnames) {
        for (int j = 0; j < endpoints.size(); j++) {
            Endpoint e = endpoints.get(j);
            if (e.matches(connection.masterHost(), connection.masterPort())) {
                return j;
            }
        }
        if (!assumeUniqueHostnames && connection.masterServerId() > 0) {
            for (int j = 0; j < snapshots.size(); j++) {
                if (snapshots.get(j).reachable() && snapshots.get(j).serverId() == connection.masterServerId()) {
                    return j;
                }
            }
        }
        return -1;
    }

    public int size() {
        return endpoints.size();
    }

    public Endpoint endpoint(int server) {
        return endpoints.get(server);
    }

    public ServerSnapshot snapshot(int server) {
        return snapshots.get(server);
    }

    public boolean isRunning(int server) {
        return snapshots.get(server).reachable();
    }

    /** Edges from {@code server} to the monitored servers it replicates from. */
    public List<Edge> sourcesOf(int server) {
        return sourcesOf.get(server);
    }

    /** Edges from the monitored servers that replicate directly from {@code server}. */
    public List<Edge> replicasOf(int server) {
        return replicasOf.get(server);
    }

    /** Replicating connections of {@code server} whose source is not monitored. */
    public List<ReplicationConnection> externalSourcesOf(int server) {
        return externalSourcesOf.get(server);
    }

    /** Whether {@code server} replicates from another monitored server. */
    public boolean replicatesFromMonitored(int server) {
        return !sourcesOf.get(server).isEmpty();
    }

    /** The multi-primary group (replication cycle) of {@code server}, numbered from 1, or 0 when it is in none. */
    public int cycleOf(int server) {
        return cycle[server];
    }

    /** The members of multi-primary group {@code cycle}, in {@code servers=} order. */
    public List<Integer> cycleMembers(int cycle) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (cycle > 0 && this.cycle[i] == cycle) {
                members.add(i);
            }
        }
        return members;
    }

    /**
     * Whether {@code server} is in a multi-primary group that, as a whole, replicates from no monitored server
     * outside it: its members' monitored sources are all members. (Such a group is a primary of the cluster,
     * as a server replicating from nobody is.)
     */
    public boolean inClosedCycle(int server) {
        int c = cycle[server];
        if (c == 0) {
            return false;
        }
        for (int member : cycleMembers(c)) {
            for (Edge edge : sourcesOf.get(member)) {
                if (cycle[edge.source()] != c) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether some running server replicates directly from {@code server}. */
    public boolean hasRunningReplica(int server) {
        return replicasOf.get(server).stream().anyMatch(e -> isRunning(e.replica()));
    }

    /**
     * The running servers that replicate from {@code root} directly or through running relays, each once,
     * in breadth-first order, with the edge through which it was first reached.
     */
    public List<Edge> runningReplicasBelow(int root) {
        boolean[] seen = new boolean[size()];
        seen[root] = true;
        List<Edge> found = new ArrayList<>();
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            int current = queue.poll();
            for (Edge edge : replicasOf.get(current)) {
                int replica = edge.replica();
                if (!seen[replica] && isRunning(replica)) {
                    seen[replica] = true;
                    found.add(edge);
                    queue.add(replica);
                }
            }
        }
        return found;
    }

    /** The first edge from {@code server} to {@code source}, if it replicates from it directly. */
    public Optional<Edge> edge(int server, int source) {
        return sourcesOf.get(server).stream().filter(e -> e.source() == source).findFirst();
    }

    private static List<List<Edge>> freeze(List<List<Edge>> lists) {
        return lists.stream().map(List::copyOf).toList();
    }

    private static List<List<ReplicationConnection>> freezeConnections(List<List<ReplicationConnection>> lists) {
        return lists.stream().map(List::copyOf).toList();
    }
}
