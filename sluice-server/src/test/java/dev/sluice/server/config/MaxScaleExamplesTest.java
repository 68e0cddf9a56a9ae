package dev.sluice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example configurations of MaxScale's documentation load unchanged. */
class MaxScaleExamplesTest {
    static Path resource(String name) throws URISyntaxException {
        return Path.of(MaxScaleExamplesTest.class.getResource("/config/" + name).toURI());
    }

    @Test
    void minimalConnectionRoutingExampleLoads() throws Exception {
        SluiceConfig config = ConfigLoader.load(resource("minimal.cnf"), FakeModules.REGISTRY);

        assertThat(GlobalParams.threads(config.global().values()))
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.servers()).containsOnlyKeys("db1");
        assertThat(config.servers().get("db1").values().get(ServerParams.ADDRESS)).isEqualTo("10.0.0.11");
        assertThat(config.servers().get("db1").values().get(ServerParams.PORT)).isEqualTo(3306L);
        MonitorConfig monitor = config.monitors().get("Monitor");
        assertThat(monitor.module()).isSameAs(FakeModules.MARIADBMON);
        assertThat(monitor.servers()).containsExactly("db1");
        assertThat(monitor.values().get(MonitorParams.MONITOR_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
        ServiceConfig service = config.services().get("ReadConn");
        assertThat(service.router()).isSameAs(FakeModules.READCONNROUTE);
        assertThat(service.servers()).containsExactly("db1");
        assertThat(service.cluster()).isNull();
        assertThat(service.values().get(ServiceParams.USER)).isEqualTo("svc_user");
        assertThat(service.values().get(ServiceParams.CONNECTION_KEEPALIVE)).isEqualTo(Duration.ofSeconds(300));
        assertThat(service.values().asMap()).containsEntry("router_options", List.of("running"));
        ListenerConfig listener = config.listeners().get("ReadConn-Port");
        assertThat(listener.service()).isEqualTo("ReadConn");
        assertThat(listener.values().get(ListenerParams.PORT)).isEqualTo(4008L);
        assertThat(listener.values().get(ListenerParams.ADDRESS)).isEqualTo("::");
        assertThat(listener.values().get(ListenerParams.PROTOCOL)).isEqualTo("mariadb");
    }

    @Test
    void readWriteSplitExampleLoads() throws Exception {
        SluiceConfig config = ConfigLoader.load(resource("rwsplit.cnf"), FakeModules.REGISTRY);

        assertThat(config.global().values().get(GlobalParams.ADMIN_HOST)).isEqualTo("0.0.0.0");
        assertThat(config.servers()).containsOnlyKeys("db1", "db2", "db3");
        assertThat(config.servers().keySet()).containsExactly("db1", "db2", "db3");
        assertThat(config.servers().get("db3").values().get(ServerParams.RANK)).isEqualTo("secondary");
        MonitorConfig cluster = config.monitors().get("Cluster");
        assertThat(cluster.values().get(MonitorParams.MONITOR_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(cluster.values().get(MonitorParams.PASSWORD)).isEqualTo("6A1F0C0E5B3D...");
        assertThat(cluster.values().asMap()).containsEntry("auto_failover", true).containsEntry("failcount", 3L);
        ServiceConfig rw = config.services().get("RW-Split");
        assertThat(rw.cluster()).isEqualTo("Cluster");
        assertThat(rw.servers()).containsExactly("db1", "db2", "db3");
        assertThat(rw.filters()).containsExactly("Hints");
        assertThat(rw.values().get(ServiceParams.MAX_SESCMD_HISTORY)).isEqualTo(100L);
        assertThat(rw.values().asMap()).containsEntry("max_replication_lag", Duration.ofSeconds(10))
                .containsEntry("causal_reads", "local");
        assertThat(config.filters().get("Hints").module()).isSameAs(FakeModules.HINTFILTER);
        ListenerConfig tls = config.listeners().get("RW-Split-Port");
        assertThat(tls.values().get(ListenerParams.SSL)).isTrue();
        assertThat(tls.values().get(ListenerParams.SSL_CERT)).isEqualTo("/etc/ssl/mxs/server-cert.pem");
        assertThat(config.listeners().keySet()).containsExactly("RW-Split-Port", "RO-Port");
        assertThat(config.services().get("RO-Service").servers()).containsExactly("db1", "db2", "db3");
    }
}
