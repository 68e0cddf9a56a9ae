package dev.sluice.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The text form runtime changes are validated in: it must give back exactly the configuration it came from. */
class ConfigSectionsTest {
    static final String CNF = """
            [maxscale]
            threads=2
            users_refresh_time=0s

            [db1]
            type=server
            address=127.0.0.1
            port=3306
            persistpoolmax=10
            persistmaxtime=90s

            [db2]
            type=server
            socket=/tmp/db2.sock

            [Cluster]
            type=monitor
            module=mariadbmon
            servers=db1,db2
            user=mon
            password=p#w;d
            monitor_interval=1500ms

            [Hints]
            type=filter
            module=hintfilter

            [RW]
            type=service
            router=readwritesplit
            cluster=Cluster
            filters=Hints
            user=u
            password=p
            causal_reads=local

            [RO]
            type=service
            router=readconnroute
            servers=db2,db1
            router_options=slave,master
            user=u
            password=p

            [RW-Listener]
            type=listener
            service=RW
            port=4006
            """;

    @Test
    void exportedConfigurationLoadsBackToTheSameValues() throws Exception {
        SluiceConfig original = ConfigLoader.parse(CNF, "a.cnf", FakeModules.REGISTRY);
        String exported = ConfigSections.export(original);
        SluiceConfig again = ConfigLoader.parse(exported, "b.cnf", FakeModules.REGISTRY);
        assertThat(again.global().values().asMap()).isEqualTo(original.global().values().asMap());
        assertThat(again.servers().keySet()).containsExactlyElementsOf(original.servers().keySet());
        original.servers().forEach((n, s) -> assertThat(again.servers().get(n).values().asMap())
                .isEqualTo(s.values().asMap()));
        original.services().forEach((n, s) -> {
            assertThat(again.services().get(n).values().asMap()).isEqualTo(s.values().asMap());
            assertThat(again.services().get(n).servers()).isEqualTo(s.servers());
        });
        original.monitors().forEach((n, m) -> assertThat(again.monitors().get(n).values().asMap())
                .isEqualTo(m.values().asMap()));
        assertThat(again.listeners().get("RW-Listener").values().asMap())
                .isEqualTo(original.listeners().get("RW-Listener").values().asMap());
        assertThat(again.filters()).containsOnlyKeys("Hints");
        assertThat(exported).contains("password=p#w;d").contains("monitor_interval=1500ms");
    }

    @Test
    void validationOfEditedSectionsReportsTheParameterAndLeavesTheOriginalAlone() throws Exception {
        SluiceConfig original = ConfigLoader.parse(CNF, "a.cnf", FakeModules.REGISTRY);
        ConfigSections sections = ConfigSections.of(original);
        ConfigSections edited = sections.with(sections.get("db1").orElseThrow().with("port", "notaport"));
        assertThatThrownBy(() -> edited.validate(original.global(), FakeModules.REGISTRY))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.section()).isEqualTo("db1");
                            assertThat(p.key()).isEqualTo("port");
                        }));
        assertThat(sections.get("db1").orElseThrow().param("port")).isEqualTo("3306");
        ConfigSections removed = sections.without("db2");
        assertThatThrownBy(() -> removed.validate(original.global(), FakeModules.REGISTRY))
                .hasMessageContaining("db2");
        assertThat(sections.referencing("service", "servers", "db2")).containsExactly("RO");
    }
}
