package dev.sluice.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file format: comments, continuation lines, @include, .cnf.d, aliases. Errors are in ConfigErrorsTest. */
class ConfigLoaderTest {
    static final String BASE = """
            [maxscale]
            threads=2

            [db1]
            type=server
            address=127.0.0.1
            port=3306

            [db2]
            type=server
            address=127.0.0.2

            [Mon]
            type=monitor
            module=mariadbmon
            servers=db1,db2
            user=mon
            password=monpw

            [Svc]
            type=service
            router=readconnroute
            servers=db1,db2
            user=svc
            password=svcpw

            [Svc-Port]
            type=listener
            service=Svc
            port=4006
            """;

    static SluiceConfig parse(String text) throws ConfigException {
        return ConfigLoader.parse(text, "maxscale.cnf", FakeModules.REGISTRY);
    }

    @Test
    void baseConfigurationLoadsWithDefaults() throws Exception {
        SluiceConfig config = parse(BASE);

        assertThat(GlobalParams.threads(config.global().values())).isEqualTo(2);
        assertThat(config.servers().get("db2").values().get(ServerParams.PORT)).isEqualTo(3306L);
        assertThat(config.servers().get("db2").values().get(ServerParams.PERSISTPOOLMAX)).isZero();
        assertThat(config.servers().get("db2").values().get(ServerParams.SSL_VERSION)).isEqualTo("MAX");
        assertThat(config.services().get("Svc").values().get(ServiceParams.WAIT_TIMEOUT)).isEqualTo(Duration.ZERO);
        assertThat(config.monitors().get("Mon").values().get(MonitorParams.EVENTS)).hasSize(10);
    }

    @Test
    void continuationLinesAreAppendedAsListItems() throws Exception {
        SluiceConfig config = parse(BASE.replace("servers=db1,db2\nuser=mon", "servers=db1,\n    db2\nuser=mon")
                .replace("servers=db1,db2\nuser=svc", "servers=db1\n\tdb2\nuser=svc"));

        assertThat(config.monitors().get("Mon").servers()).containsExactly("db1", "db2");
        assertThat(config.services().get("Svc").servers()).containsExactly("db1", "db2");
    }

    @Test
    void hashStartsACommentOnlyAtTheStartOfALine() throws Exception {
        SluiceConfig config = parse("# leading comment\n  # indented comment\n; semicolon comment\n"
                + BASE.replace("password=svcpw", "# the service password\npassword=s3cr#t"));

        assertThat(config.services().get("Svc").values().get(ServiceParams.PASSWORD)).isEqualTo("s3cr#t");
    }

    @Test
    void whitespaceAroundEqualsAndMaxScaleSectionCaseAreIgnored() throws Exception {
        SluiceConfig config = parse(BASE.replace("[maxscale]\nthreads=2", "[MaxScale]\nthreads = 3")
                .replace("port=4006", "port =  4006  "));

        assertThat(GlobalParams.threads(config.global().values())).isEqualTo(3);
        assertThat(config.listeners().get("Svc-Port").values().get(ListenerParams.PORT)).isEqualTo(4006L);
    }

    @Test
    void includeSectionsProvideParametersThatTheIncludingSectionOverrides() throws Exception {
        SluiceConfig config = parse(BASE + """

                [server-defaults]
                type=include
                port=3307
                persistpoolmax=10
                persistmaxtime=1h

                [db3]
                type=server
                @include=server-defaults
                address=127.0.0.3
                port=3308
                """);

        var db3 = config.servers().get("db3").values();
        assertThat(db3.get(ServerParams.PORT)).isEqualTo(3308L);
        assertThat(db3.get(ServerParams.PERSISTPOOLMAX)).isEqualTo(10L);
        assertThat(db3.get(ServerParams.PERSISTMAXTIME)).isEqualTo(Duration.ofHours(1));
        assertThat(config.servers()).doesNotContainKey("server-defaults");
    }

    @Test
    void cnfDirectoryNextToTheMainFileIsReadRecursivelyInOrder(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("maxscale.cnf");
        Files.writeString(main, "[maxscale]\nthreads=1\n");
        Path d = Files.createDirectories(dir.resolve("maxscale.cnf.d/nested"));
        Files.writeString(d.getParent().resolve("10-servers.cnf"), "[db1]\ntype=server\naddress=127.0.0.1\n");
        Files.writeString(d.getParent().resolve("20-service.cnf"), """
                [Svc]
                type=service
                router=readconnroute
                servers=db1
                user=u
                password=p
                """);
        Files.writeString(d.resolve("listener.cnf"), "[L]\ntype=listener\nservice=Svc\nport=4000\n");
        Files.writeString(d.resolve("notes.txt"), "this is not a configuration file");

        SluiceConfig config = ConfigLoader.load(main, FakeModules.REGISTRY);

        assertThat(config.servers()).containsOnlyKeys("db1");
        assertThat(config.services().get("Svc").servers()).containsExactly("db1");
        assertThat(config.listeners().get("L").service()).isEqualTo("Svc");
    }

    @Test
    void maxScaleAliasesAreAccepted() throws Exception {
        SluiceConfig config = parse(BASE.replace("module=mariadbmon", "module=MySQLMon")
                .replace("router=readconnroute", "router=ReadConnRoute\nconnection_timeout=30s")
                .replace("port=4006", "port=4006\nprotocol=MariaDBClient\nssl_version=TLSv1.2"));

        assertThat(config.monitors().get("Mon").module()).isSameAs(FakeModules.MARIADBMON);
        assertThat(config.services().get("Svc").values().get(ServiceParams.WAIT_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(30));
        var listener = config.listeners().get("Svc-Port").values();
        assertThat(listener.get(ListenerParams.PROTOCOL)).isEqualTo("mariadb");
        assertThat(listener.get(ListenerParams.SSL_VERSION)).isEqualTo("TLSv12");
    }

    @Test
    void targetsMayNameServers() throws Exception {
        SluiceConfig config = parse(BASE + """

                [Top]
                type=service
                router=readconnroute
                targets=db2,db1
                user=u
                password=p
                """);

        assertThat(config.services().get("Top").servers()).containsExactly("db2", "db1");
    }

    @Test
    void variablesAreSubstitutedWhenEnabled() throws Exception {
        String text = BASE.replace("threads=2", "threads=2\nsubstitute_variables=true")
                .replace("password=svcpw", "password=$SVC_PASSWORD");

        SluiceConfig config = ConfigLoader.parse(Map.of("maxscale.cnf", text), FakeModules.REGISTRY,
                Map.of("SVC_PASSWORD", "from-env")::get);

        assertThat(config.services().get("Svc").values().get(ServiceParams.PASSWORD)).isEqualTo("from-env");
    }

    @Test
    void mapsKeepFileOrderAndAreUnmodifiable() throws Exception {
        SluiceConfig config = parse(BASE);

        assertThat(config.servers().keySet()).containsExactly("db1", "db2");
        assertThat(List.copyOf(config.services().keySet())).containsExactly("Svc");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.servers().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
