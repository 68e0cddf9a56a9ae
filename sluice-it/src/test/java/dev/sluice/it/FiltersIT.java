package dev.sluice.it;

import dev.sluice.api.chain.Request;
import dev.sluice.api.reply.Reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.filter.Filter;
import dev.sluice.api.filter.FilterContext;
import dev.sluice.api.filter.FilterFactory;
import dev.sluice.api.filter.FilterSession;
import dev.sluice.api.filter.FilterSessionContext;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.testkit.FreePorts;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import io.netty.buffer.ByteBuf;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Filters in front of readwritesplit, through MariaDB Connector/J against a real primary and replica:
 * namedserverfilter sends matching reads to the server it names, regexfilter's rewrite is the statement the
 * server runs, filters created and linked at runtime apply to new sessions only and in the order the service
 * lists them, bad filter requests are refused naming the problem and change nothing, and a filter in use is
 * destroyed only with force (which unlinks it).
 */
@MariaDbCluster(replicas = 1)
@ExtendWith(LeakCheck.class)
class FiltersIT {
    static MariaDbTopology topology;
    private static final ObjectMapper JSON = new ObjectMapper();

    SluiceFixture sluice;
    AdminRest rest;

    @BeforeEach
    void start() throws Exception {
        String cnf = SluiceFixture.readWriteSplit(topology, "filters=ToPrimary|Rewrite\n")
                .replaceFirst("\\[maxscale\\]\n", "[maxscale]\nadmin_port=" + FreePorts.allocate() + "\n")
                + "\n[ToPrimary]\ntype=filter\nmodule=namedserverfilter\nmatch01=/route_me_home/\ntarget01=db1\n"
                + "\n[Rewrite]\ntype=filter\nmodule=regexfilter\nmatch=/sluice_before_([a-z]+)/\n"
                + "replace=sluice_after_$1\n"
                + "\n[Reject]\ntype=filter\nmodule=rejectfilter\n"; // this test's own module, linked by one test
        List<Module> modules = new ArrayList<>(ModuleRegistry.load().all());
        modules.add(RejectFilter.MODULE);
        sluice = SluiceFixture.start(topology, cnf, ModuleRegistry.of(modules));
        rest = new AdminRest(sluice.server.adminPort());
    }

    @AfterEach
    void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", MariaDbTopology.APP_USER);
        p.setProperty("password", MariaDbTopology.APP_PASSWORD);
        p.setProperty("connectTimeout", "10000");
        p.setProperty("socketTimeout", "30000");
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + sluice.port("RW-Listener") + "/test", p);
    }

    private static int port(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    private static String text(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private int primary() {
        return topology.primary().port();
    }

    private int replica() {
        return topology.replicas().get(0).port();
    }

    @Test
    void namedServerFilterSendsMatchingReadsToTheNamedServer() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThat(port(st, "SELECT @@port")).as("an ordinary read goes to the replica").isEqualTo(replica());
            assertThat(port(st, "SELECT @@port, 'route_me_home'")).as("a matching read goes to db1")
                    .isEqualTo(primary());
            assertThat(port(st, "SELECT @@port, 'ROUTE_ME_HOME'")).as("options=ignorecase is the default")
                    .isEqualTo(primary());
            long primaryId;
            try (Connection root = topology.primary().rootConnection(); Statement r = root.createStatement()) {
                primaryId = port(r, "SELECT @@server_id");
            }
            assertThat(port(st, "SELECT @@server_id, 'route_me_home'")).isEqualTo(primaryId);
        }
        JsonNode filter = JSON.readTree(rest.expect(200, "GET", "/v1/filters/ToPrimary", null));
        assertThat(filter.at("/data/attributes/module").asText()).isEqualTo("namedserverfilter");
        assertThat(filter.at("/data/relationships/services/data/0/id").asText()).isEqualTo("RW");
        assertThat(filter.at("/data/attributes/filter_diagnostics/matched").asLong()).isEqualTo(3);
        assertThat(filter.at("/data/attributes/filter_diagnostics/queries").asLong()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void regexFilterRewriteIsWhatTheServerRuns() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThat(text(st, "SELECT 'sluice_before_value'")).isEqualTo("sluice_after_value");
            // the server's own record of the statement it is running
            String running = text(st, "SELECT info FROM information_schema.processlist WHERE id = connection_id()"
                    + " AND 'sluice_before_check' <> ''");
            assertThat(running).contains("sluice_after_check").doesNotContain("sluice_before");
            assertThat(text(st, "SELECT 'untouched'")).isEqualTo("untouched");
        }
    }

    @Test
    void filtersCreatedAndLinkedAtRuntimeApplyToNewSessionsInTheirOrder() throws Exception {
        rest.expect(204, "POST", "/v1/filters", filter("AtoB", "regexfilter",
                "\"match\":\"sluice_a\",\"replace\":\"sluice_b\""));
        rest.expect(204, "POST", "/v1/filters", filter("BtoC", "regexfilter",
                "\"match\":\"sluice_b\",\"replace\":\"sluice_c\""));
        rest.expect(204, "POST", "/v1/filters", filter("Late", "namedserverfilter",
                "\"match01\":\"late_marker\",\"target01\":\"db1\""));
        try (Connection old = connect(); Statement oldSt = old.createStatement()) {
            assertThat(text(oldSt, "SELECT 'sluice_a'")).isEqualTo("sluice_a");
            rest.expect(204, "PATCH", "/v1/services/RW", links("AtoB", "BtoC", "Late"));
            try (Connection c = connect(); Statement st = c.createStatement()) {
                assertThat(text(st, "SELECT 'sluice_a'")).as("AtoB first, then BtoC").isEqualTo("sluice_c");
                assertThat(port(st, "SELECT @@port, 'late_marker'")).isEqualTo(primary());
            }
            assertThat(text(oldSt, "SELECT 'sluice_a'")).as("the old session keeps its chain").isEqualTo("sluice_a");
            assertThat(port(oldSt, "SELECT @@port, 'late_marker'")).isEqualTo(replica());
            assertThat(text(oldSt, "SELECT 'sluice_before_x'")).as("… including the filters it started with")
                    .isEqualTo("sluice_after_x");

            rest.expect(204, "PATCH", "/v1/services/RW", links("BtoC", "AtoB"));
            try (Connection c = connect(); Statement st = c.createStatement()) {
                assertThat(text(st, "SELECT 'sluice_a'")).as("BtoC first, then AtoB").isEqualTo("sluice_b");
                assertThat(port(st, "SELECT @@port, 'late_marker'")).as("Late is unlinked").isEqualTo(replica());
            }

            rest.expect(204, "PATCH", "/v1/filters/AtoB", "{\"data\":{\"attributes\":{\"parameters\":"
                    + "{\"replace\":\"sluice_z\"}}}}");
            try (Connection c = connect(); Statement st = c.createStatement()) {
                assertThat(text(st, "SELECT 'sluice_a'")).as("altered parameters, new session").isEqualTo("sluice_z");
            }
            assertThat(text(oldSt, "SELECT 'sluice_a'")).as("still the old chain").isEqualTo("sluice_a");
            rest.expect(204, "POST", "/v1/sessions/restart", null);
            assertThat(text(oldSt, "SELECT 'sluice_a'")).as("a restart rebuilds the chain: BtoC, then AtoB altered")
                    .isEqualTo("sluice_z");
        }
        JsonNode service = JSON.readTree(rest.expect(200, "GET", "/v1/services/RW", null));
        assertThat(service.at("/data/attributes/parameters/filters").toString()).contains("BtoC").contains("AtoB");
    }

    @Test
    void badFilterRequestsAreRefusedNamingTheProblemAndChangeNothing() throws Exception {
        String before = rest.expect(200, "GET", "/v1/filters", null);

        HttpResponse<String> unknown = rest.send("POST", "/v1/filters", filter("Bad", "nosuchfilter", ""));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("nosuchfilter");

        HttpResponse<String> badRegex = rest.send("POST", "/v1/filters", filter("Bad", "namedserverfilter",
                "\"match01\":\"select (\",\"target01\":\"db1\""));
        assertThat(badRegex.statusCode()).isEqualTo(400);
        assertThat(badRegex.body()).contains("match01").contains("regular expression");

        HttpResponse<String> unpaired = rest.send("POST", "/v1/filters", filter("Bad", "namedserverfilter",
                "\"match02\":\"x\""));
        assertThat(unpaired.statusCode()).isEqualTo(400);
        assertThat(unpaired.body()).contains("match02").contains("target02");

        HttpResponse<String> badGroup = rest.send("PATCH", "/v1/filters/Rewrite", "{\"data\":{\"attributes\":"
                + "{\"parameters\":{\"replace\":\"$7\"}}}}");
        assertThat(badGroup.statusCode()).isEqualTo(400);
        assertThat(badGroup.body()).contains("replace").contains("group 7");

        HttpResponse<String> unknownLink = rest.send("PATCH", "/v1/services/RW", links("ToPrimary", "Nope"));
        assertThat(unknownLink.statusCode()).isEqualTo(400);
        assertThat(unknownLink.body()).contains("Nope");

        rest.expect(404, "GET", "/v1/filters/Bad", null);
        assertThat(rest.expect(200, "GET", "/v1/filters", null)).isEqualTo(before);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertThat(text(st, "SELECT 'sluice_before_ok'")).as("the old replace still applies")
                    .isEqualTo("sluice_after_ok");
            assertThat(port(st, "SELECT @@port, 'route_me_home'")).isEqualTo(primary());
        }
    }

    @Test
    void aFilterInUseIsDestroyedOnlyWithForceWhichUnlinksIt() throws Exception {
        HttpResponse<String> inUse = rest.send("DELETE", "/v1/filters/ToPrimary", null);
        assertThat(inUse.statusCode()).isEqualTo(409);
        assertThat(inUse.body()).contains("service 'RW'");
        rest.expect(200, "GET", "/v1/filters/ToPrimary", null);

        try (Connection old = connect(); Statement oldSt = old.createStatement()) {
            rest.expect(204, "DELETE", "/v1/filters/ToPrimary?force=yes", null);
            rest.expect(404, "GET", "/v1/filters/ToPrimary", null);
            JsonNode service = JSON.readTree(rest.expect(200, "GET", "/v1/services/RW", null));
            assertThat(service.at("/data/attributes/parameters/filters").toString()).doesNotContain("ToPrimary")
                    .contains("Rewrite");
            try (Connection c = connect(); Statement st = c.createStatement()) {
                assertThat(port(st, "SELECT @@port, 'route_me_home'")).isEqualTo(replica());
                assertThat(text(st, "SELECT 'sluice_before_kept'")).isEqualTo("sluice_after_kept");
            }
            assertThat(port(oldSt, "SELECT @@port, 'route_me_home'")).as("a running session keeps the instance")
                    .isEqualTo(primary());
        }
        rest.expect(204, "DELETE", "/v1/filters/Rewrite?force=yes", null);
        rest.expect(204, "POST", "/v1/filters", filter("Unused", "regexfilter", "\"match\":\"a\",\"replace\":\"b\""));
        rest.expect(204, "DELETE", "/v1/filters/Unused", null);
    }

    @Test
    void aFilterMayAnswerARequestItselfAndObserveReplies() throws Exception {
        rest.expect(204, "PATCH", "/v1/services/RW", links("Reject", "ToPrimary"));
        RejectFilter.repliesSeen.set(0);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            SQLException e = catchThrowableOfType(
                    () -> st.executeQuery("SELECT 'forbidden_word', 'route_me_home'"), SQLException.class);
            assertThat((Throwable) e).as("the statement is refused").isNotNull();
            assertThat(e.getErrorCode()).isEqualTo(1142);
            assertThat(e.getSQLState()).isEqualTo("42000");
            assertThat(e.getMessage()).contains("rejected by filter Reject");
            assertThat(port(st, "SELECT @@port, 'route_me_home'")).as("the session goes on; the next filter "
                    + "still applies").isEqualTo(primary());
        }
        assertThat(RejectFilter.repliesSeen.get()).as("reply packets lent to an observing filter").isPositive();
    }

    /** A test filter: answers statements containing forbidden_word with an error, counts reply packets. */
    static final class RejectFilter implements Filter {
        static final AtomicInteger repliesSeen = new AtomicInteger();
        static final Module MODULE = new Module("rejectfilter", List.of(), ModuleKind.FILTER, "1", "test",
                ParamSpec.of(), (FilterFactory) RejectFilter::new);
        private final String name;

        RejectFilter(FilterContext context) {
            this.name = context.filterName();
        }

        @Override
        public boolean handlesReplies() {
            return true;
        }

        @Override
        public FilterSession newSession(FilterSessionContext session) {
            return new FilterSession() {
                @Override
                public void routeQuery(Request request) {
                    if (request.packet().toString(StandardCharsets.UTF_8).contains("forbidden_word")) {
                        request.release();
                        session.replyError(1142, "42000", "Statement rejected by filter " + name);
                        return;
                    }
                    session.routeQuery(request);
                }

                @Override
                public void clientReply(ByteBuf packet, Reply reply) {
                    repliesSeen.incrementAndGet();
                    session.clientReply(packet);
                }
            };
        }
    }

    private static String filter(String name, String module, String params) {
        return "{\"data\":{\"id\":\"" + name + "\",\"type\":\"filters\",\"attributes\":{\"module\":\"" + module
                + "\",\"parameters\":{" + params + "}}}}";
    }

    private static String links(String... filters) {
        return "{\"data\":{\"relationships\":{\"filters\":" + AdminRest.links("filters", filters) + "}}}";
    }
}
