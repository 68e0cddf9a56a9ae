package dev.sluice.it;

import dev.sluice.api.monitor.Monitor;
import dev.sluice.testkit.MariaDbTopology;
import org.junit.jupiter.api.AfterAll;

/**
 * What the fault tests of issue 6 share: one private topology (a primary and two replicas) and one Sluice with
 * the mariadbmon monitor {@code Cluster} in front of it, both closed after the class.
 */
abstract class FaultCluster {

    static MariaDbTopology topology;
    static SluiceFixture sluice;

    /** A topology of a primary and two replicas, and a Sluice whose monitor gets {@code monitorLines}. */
    static void start(String prefix, String monitorLines, String moreSections) throws Exception {
        start(prefix, monitorLines, moreSections, "");
    }

    /** As {@link #start(String, String, String)}, with {@code globalLines} added to the {@code [maxscale]} section. */
    static void start(String prefix, String monitorLines, String moreSections, String globalLines) throws Exception {
        topology = MariaDbTopology.builder().replicas(2).namePrefix(prefix).start();
        String cnf = SluiceFixture.baseConfig(topology, "", true).replace("monitor_interval=200ms\n", monitorLines)
                .replaceFirst("\\[maxscale\\]\n", "[maxscale]\n" + globalLines) + moreSections;
        sluice = SluiceFixture.start(topology, cnf);
    }

    @AfterAll
    static void stopCluster() {
        if (sluice != null) {
            sluice.close();
            sluice = null;
        }
        if (topology != null) {
            topology.close();
            topology = null;
        }
    }

    /** A server other than {@code except} that has the Master role now, or null. */
    static String masterOtherThan(String except) {
        for (int i = 1; i <= topology.nodes().size(); i++) {
            String name = "db" + i;
            if (!name.equals(except) && sluice.server.server(name).status().isMaster()) {
                return name;
            }
        }
        return null;
    }

    /** Every server's state and detail, for assertion messages. */
    static String states() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= topology.nodes().size(); i++) {
            var status = sluice.server.server("db" + i).status();
            sb.append("db").append(i).append('=').append(status.stateString()).append(" (").append(status.detail())
                    .append(") ");
        }
        return sb.toString();
    }

    static Monitor monitor() {
        return sluice.server.monitors().get("Cluster").monitor();
    }
}
