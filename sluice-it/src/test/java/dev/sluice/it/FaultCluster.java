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
        topology = MariaDbTopology.builder().replicas(2).namePrefix(prefix).start();
        String cnf = SluiceFixture.baseConfig(topology, "", true).replace("monitor_interval=200ms\n", monitorLines)
                + moreSections;
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

    static Monitor monitor() {
        return sluice.server.monitors().get("Cluster").monitor();
    }
}
