package dev.sluice.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of configuration problem is reported with its file, line and key, and all of them at once. */
class ConfigErrorsTest {
    private static final String BASE = ConfigLoaderTest.BASE;

    /** The problems of a configuration, as the user reads them. */
    static List<String> problems(String text) {
        try {
            ConfigLoader.parse(text, "maxscale.cnf", FakeModules.REGISTRY);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        return fail("expected a ConfigException for:\n" + text);
    }

    /** The 1-based line of the first line that equals {@code line}, after {@code after} if given. */
    static int lineOf(String text, String line) {
        List<String> lines = text.lines().toList();
        int i = lines.indexOf(line);
        if (i < 0) {
            throw new IllegalArgumentException("line: " + line + " (expected: in the text)");
        }
        return i + 1;
    }

    @Test
    void typoInAParameterSuggestsTheClosestKnownOne() throws Exception {
        String text = BASE + """

                [RW-Split]
                type=service
                router=readwritesplit
                servers=db1
                user=u
                password=p
                slave_selecton_criteria=adaptive_routing
                """;

        assertThat(problems(text)).containsExactly("maxscale.cnf:" + lineOf(text, "slave_selecton_criteria="
                + "adaptive_routing") + ": [RW-Split] slave_selecton_criteria: unknown parameter (did you mean "
                + "slave_selection_criteria?)");
    }

    @Test
    void unknownParameterFarFromAnyKnownOneHasNoSuggestion() {
        String text = BASE.replace("address=127.0.0.2", "address=127.0.0.2\ncompletely_unrelated=1");

        assertThat(problems(text)).containsExactly("maxscale.cnf:" + lineOf(text, "completely_unrelated=1")
                + ": [db2] completely_unrelated: unknown parameter");
    }

    @Test
    void badValuesReportWhatWasExpected() {
        String text = BASE.replace("port=3306", "port=33o6").replace("threads=2", "threads=lots")
                .replace("user=mon", "user=mon\nmonitor_interval=10ms");

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:2: [maxscale] threads: 'lots' is not a thread count (expected: auto or a number "
                        + "from 1)",
                "maxscale.cnf:" + lineOf(text, "port=33o6") + ": [db1] port: '33o6' is not a whole number",
                "maxscale.cnf:" + lineOf(text, "monitor_interval=10ms") + ": [Mon] monitor_interval: '10ms' is "
                        + "out of range (expected: at least 100ms)");
    }

    @Test
    void missingAndUnknownSectionTypes() {
        String text = BASE + "\n[NoType]\naddress=1.2.3.4\n\n[Odd]\ntype=sever\n";

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:" + lineOf(text, "[NoType]") + ": [NoType] type: missing section type (expected: "
                        + "server, service, listener, monitor, filter or include)",
                "maxscale.cnf:" + lineOf(text, "type=sever") + ": [Odd] type: unknown section type 'sever' "
                        + "(expected: server, service, listener, monitor, filter or include)");
    }

    @Test
    void unknownModulesSuggestTheClosestModuleAndSkipModuleParameters() {
        String text = BASE.replace("router=readconnroute", "router=readwritesplt\nslave_selection_criteria=x")
                .replace("module=mariadbmon", "module=csmon");

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:" + lineOf(text, "module=csmon") + ": [Mon] module: unknown monitor module "
                        + "'csmon' (known: mariadbmon)",
                "maxscale.cnf:" + lineOf(text, "router=readwritesplt") + ": [Svc] router: unknown router module "
                        + "'readwritesplt' (did you mean readwritesplit?)");
    }

    @Test
    void objectsWithAnUnknownModuleAreNotReportedAgainWhereTheyAreReferenced() {
        String text = BASE.replace("module=mariadbmon", "module=nomon")
                .replace("servers=db1,db2\nuser=svc", "cluster=Mon\nfilters=F\nuser=svc")
                + "\n[F]\ntype=filter\nmodule=nofilter\n";

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:" + lineOf(text, "module=nomon") + ": [Mon] module: unknown monitor module 'nomon' "
                        + "(known: mariadbmon)",
                "maxscale.cnf:" + lineOf(text, "module=nofilter") + ": [F] module: unknown filter module "
                        + "'nofilter' (known: hintfilter)");
    }

    @Test
    void moduleOfTheWrongKindIsNamed() {
        String text = BASE.replace("router=readconnroute", "router=mariadbmon");

        assertThat(problems(text)).containsExactly("maxscale.cnf:" + lineOf(text, "router=mariadbmon")
                + ": [Svc] router: unknown router module 'mariadbmon' (mariadbmon is a monitor module)");
    }

    @Test
    void missingMandatoryParametersAreReportedAtTheSectionHeader() {
        String text = """
                [db1]
                type=server
                address=127.0.0.1

                [Svc]
                type=service

                [Mon]
                type=monitor

                [L]
                type=listener
                port=4000

                [F]
                type=filter
                """;

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:5: [Svc] router: missing mandatory parameter",
                "maxscale.cnf:5: [Svc] user: missing mandatory parameter",
                "maxscale.cnf:5: [Svc] password: missing mandatory parameter",
                "maxscale.cnf:8: [Mon] module: missing mandatory parameter",
                "maxscale.cnf:8: [Mon] user: missing mandatory parameter",
                "maxscale.cnf:8: [Mon] password: missing mandatory parameter",
                "maxscale.cnf:11: [L] service: missing mandatory parameter",
                "maxscale.cnf:15: [F] module: missing mandatory parameter");
    }

    @Test
    void listenerNeedsExactlyOneOfPortAndSocketAndServerOneOfAddressAndSocket() {
        String text = BASE.replace("address=127.0.0.2", "socket=/tmp/db2.sock\naddress=127.0.0.2")
                .replace("address=127.0.0.1\nport=3306", "port=3306")
                .replace("port=4006", "")
                + "\n[Sock]\ntype=listener\nservice=Svc\nport=4007\nsocket=/tmp/sluice.sock\n";

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:" + lineOf(text, "[db1]") + ": [db1] address: missing address or socket (one of "
                        + "them is required)",
                "maxscale.cnf:" + lineOf(text, "address=127.0.0.2") + ": [db2] address: address and socket are "
                        + "exclusive (set only one)",
                "maxscale.cnf:" + lineOf(text, "[Svc-Port]") + ": [Svc-Port] port: missing port or socket (one "
                        + "of them is required)",
                "maxscale.cnf:" + lineOf(text, "socket=/tmp/sluice.sock") + ": [Sock] socket: port and socket "
                        + "are exclusive (set only one)");
    }

    @Test
    void referencesToUndefinedObjectsAreReported() {
        String text = BASE.replace("servers=db1,db2\nuser=svc", "servers=db1,db9\nfilters=Nope\nuser=svc")
                .replace("service=Svc", "service=Scv")
                + "\n[ByCluster]\ntype=service\nrouter=readconnroute\ncluster=Monn\nuser=u\npassword=p\n";

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:" + lineOf(text, "servers=db1,db9") + ": [Svc] servers: no server named 'db9' "
                        + "(did you mean db1?)",
                "maxscale.cnf:" + lineOf(text, "filters=Nope") + ": [Svc] filters: no filter named 'Nope'",
                "maxscale.cnf:" + lineOf(text, "service=Scv") + ": [Svc-Port] service: no service named 'Scv' "
                        + "(did you mean Svc?)",
                "maxscale.cnf:" + lineOf(text, "cluster=Monn") + ": [ByCluster] cluster: no monitor named 'Monn' "
                        + "(did you mean Mon?)");
    }

    @Test
    void aServerMayHaveOnlyOneMonitor() {
        String text = BASE + "\n[Mon2]\ntype=monitor\nmodule=mariadbmon\nservers=db2\nuser=m\npassword=p\n";

        assertThat(problems(text)).containsExactly("maxscale.cnf:" + lineOf(text, "servers=db2")
                + ": [Mon2] servers: server db2 is already monitored by [Mon] (a server may have only one monitor)");
    }

    @Test
    void serversAndClusterAreExclusive() {
        String text = BASE.replace("servers=db1,db2\nuser=svc", "servers=db1,db2\ncluster=Mon\nuser=svc");

        assertThat(problems(text)).containsExactly("maxscale.cnf:" + lineOf(text, "cluster=Mon")
                + ": [Svc] cluster: servers and cluster are exclusive (set only one)");
    }

    @Test
    void twoListenersCannotShareAnAddressAndPort() {
        String text = BASE + """

                [Same]
                type=listener
                service=Svc
                address=127.0.0.1
                port=4006

                [Other-Address]
                type=listener
                service=Svc
                address=127.0.0.1
                port=4010

                [Clash-Specific]
                type=listener
                service=Svc
                address=127.0.0.1
                port=4010
                """;

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:" + lineOf(text, "port=4006", 2) + ": [Same] port: port 4006 on 127.0.0.1 is "
                        + "already used by listener [Svc-Port]",
                "maxscale.cnf:" + lineOf(text, "port=4010", 2) + ": [Clash-Specific] port: port 4010 on "
                        + "127.0.0.1 is already used by listener [Other-Address]");
    }

    /** The line of the n-th line equal to {@code line}. */
    static int lineOf(String text, String line, int occurrence) {
        List<String> lines = text.lines().toList();
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(line) && ++seen == occurrence) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("line: " + line + " (expected: " + occurrence + " occurrences)");
    }

    @Test
    void duplicateSectionsAndKeysAreErrors() {
        String text = BASE.replace("address=127.0.0.2", "address=127.0.0.2\naddress=127.0.0.3")
                + "\n[db1]\ntype=server\naddress=10.0.0.1\n";

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:" + lineOf(text, "address=127.0.0.3") + ": [db2] address: set twice (first on line "
                        + lineOf(text, "address=127.0.0.2") + ")",
                "maxscale.cnf:" + lineOf(text, "[db1]", 2) + ": [db1] duplicate section (first defined at "
                        + "maxscale.cnf:4)");
    }

    @Test
    void aParameterSetUnderItsNameAndItsAliasIsAnError() {
        String text = BASE.replace("router=readconnroute", "router=readconnroute\nwait_timeout=1s\n"
                + "connection_timeout=2s");

        assertThat(problems(text)).containsExactly("maxscale.cnf:" + lineOf(text, "connection_timeout=2s")
                + ": [Svc] connection_timeout: set twice, also as wait_timeout on line "
                + lineOf(text, "wait_timeout=1s"));
    }

    @Test
    void malformedLinesAndSectionNames() {
        String text = "orphan=1\n" + BASE.replace("[db2]", "[db 2]").replace("port=3306", "just some words");

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:1: orphan: parameter outside any [section]",
                "maxscale.cnf:" + lineOf(text, "just some words") + ": [db1] 'just some words' is not key=value, "
                        + "a [section] header or a # comment",
                "maxscale.cnf:" + lineOf(text, "[db 2]") + ": [db 2] invalid section name (expected: letters, "
                        + "digits and _ . ~ - only)",
                "maxscale.cnf:" + lineOf(text, "servers=db1,db2") + ": [Mon] servers: no server named 'db2' "
                        + "(did you mean db1?)",
                "maxscale.cnf:" + lineOf(text, "servers=db1,db2", 2) + ": [Svc] servers: no server named 'db2' "
                        + "(did you mean db1?)");
    }

    @Test
    void unknownIncludeIsReported() {
        String text = BASE.replace("address=127.0.0.2", "address=127.0.0.2\n@include=defaults")
                + "\n[defaults-x]\ntype=include\nport=3307\n";

        assertThat(problems(text)).containsExactly("maxscale.cnf:" + lineOf(text, "@include=defaults")
                + ": [db2] @include: 'defaults' is not a type=include section (did you mean defaults-x?)");
    }

    @Test
    void unsetEnvironmentVariableIsReportedWhenSubstituting() {
        String text = BASE.replace("threads=2", "threads=2\nsubstitute_variables=true")
                .replace("password=svcpw", "password=$SLUICE_TEST_SURELY_UNSET_VARIABLE");

        assertThat(problems(text)).containsExactly("maxscale.cnf:" + lineOf(text,
                "password=$SLUICE_TEST_SURELY_UNSET_VARIABLE") + ": [Svc] password: environment variable "
                + "SLUICE_TEST_SURELY_UNSET_VARIABLE is not set (substitute_variables=true)");
    }

    @Test
    void everyProblemInAFileIsReportedAtOnceOnePerLineOfTheMessage() {
        String text = BASE.replace("port=3306", "port=abc").replace("user=mon", "usr=mon")
                .replace("router=readconnroute", "router=readconnroute\nmax_connections=-1")
                .replace("port=4006", "port=4006\nssl=maybe");

        List<String> problems = problems(text);

        assertThat(problems).hasSize(5);
        assertThatThrownBy(() -> ConfigLoader.parse(text, "maxscale.cnf", FakeModules.REGISTRY))
                .isInstanceOf(ConfigException.class)
                .hasMessage(String.join("\n", problems));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("[Mon] usr: unknown parameter (did you mean "
                + "user?)"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("[Mon] user: missing mandatory parameter"));
    }

    @Test
    void problemsInTheCnfDirectoryNameTheirFile(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("maxscale.cnf");
        Files.writeString(main, BASE);
        Path extra = Files.createDirectories(dir.resolve("maxscale.cnf.d")).resolve("extra.cnf");
        Files.writeString(extra, "[maxscale]\nthreads=4\n\n[db3]\ntype=server\naddress=x\nprot=3306\n");

        try {
            ConfigLoader.load(main, FakeModules.REGISTRY);
            fail("expected a ConfigException");
        } catch (ConfigException e) {
            assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                    extra + ":1: [maxscale] the [maxscale] section must be in the main configuration file",
                    extra + ":7: [db3] prot: unknown parameter (did you mean port?)");
            assertThat(e.problems().get(1).file()).isEqualTo(extra.toString());
            assertThat(e.problems().get(1).line()).isEqualTo(7);
            assertThat(e.problems().get(1).section()).isEqualTo("db3");
            assertThat(e.problems().get(1).key()).isEqualTo("prot");
        }
    }

    @Test
    void tlsListenerNeedsCertificateAndKey() {
        String text = BASE.replace("port=4006", "port=4006\nssl=true\nssl_cert=/etc/cert.pem")
                .replace("address=127.0.0.2", "address=127.0.0.2\nssl_key=/etc/key.pem");

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:" + lineOf(text, "ssl_key=/etc/key.pem") + ": [db2] ssl_key: ssl_cert and ssl_key "
                        + "must be set together",
                "maxscale.cnf:" + lineOf(text, "ssl=true") + ": [Svc-Port] ssl: ssl=true on a listener needs "
                        + "ssl_cert and ssl_key");
    }

    @Test
    void servicesTargetingEachOtherInACycleAreRejected() {
        String text = BASE + """

                [A]
                type=service
                router=readconnroute
                targets=B
                user=u
                password=p

                [B]
                type=service
                router=readconnroute
                targets=db1,A
                user=u
                password=p
                """;

        assertThat(problems(text)).contains(
                "maxscale.cnf:" + lineOf(text, "targets=B") + ": [A] targets: routing cycle: A -> B -> A",
                "maxscale.cnf:" + lineOf(text, "targets=db1,A") + ": [B] targets: routing cycle: B -> A -> B");
    }

    /** Until services can be routing targets (issue 10): refused, rather than dropped with clients refused later. */
    @Test
    void aServiceAsARoutingTargetIsRefusedAsNotSupportedYet() {
        String text = BASE + """

                [Top]
                type=service
                router=readconnroute
                targets=db1,Svc
                user=u
                password=p
                """;

        assertThat(problems(text)).containsExactly(
                "maxscale.cnf:" + lineOf(text, "targets=db1,Svc") + ": [Top] targets: 'Svc' is a service: router "
                        + "readconnroute routes to servers only (name the servers, or use cluster=)");
    }

    @Test
    void unreadableMainFileIsOneProblem(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.cnf"), FakeModules.REGISTRY))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.cnf: cannot read the file");
    }
}
