package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.chain.Request;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.reply.Reply;
import dev.sluice.api.router.Endpoint;
import dev.sluice.api.router.Router;
import dev.sluice.api.router.RouterContext;
import dev.sluice.api.router.RouterFactory;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.protocol.Command;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every way Sluice ends a login or a request of its own accord ends with a well-formed MariaDB ERR packet: a
 * server error code (never the client library's own 2000-2999, which MariaDB Connector/C reports as 2027
 * "Received malformed packet" and so hides the reason: issue 10), its SQLSTATE, a message saying why, and
 * the sequence number the client expects. Checked with MariaDB Connector/J, the {@code mariadb} CLI
 * (Connector/C) and {@link RawClient} for the sequence numbers. Every read is bounded.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ErrorRepliesIT {
    static final String LIMITED_USER = "err_limited";
    static final String LIMITED_PASSWORD = "limitedpwd";
    static MariaDbTopology topology;
    static SluiceFixture sluice;

    @BeforeAll
    static void start() throws Exception {
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE USER 'err_nogrants'@'%' IDENTIFIED BY 'nogrants'");
            s.execute("CREATE OR REPLACE USER '" + LIMITED_USER + "'@'%' IDENTIFIED BY '" + LIMITED_PASSWORD
                    + "' WITH MAX_USER_CONNECTIONS 1");
            s.execute("GRANT SELECT ON test.* TO '" + LIMITED_USER + "'@'%'");
        }
        topology.waitForReplication(Duration.ofSeconds(30));
        String cnf = SluiceFixture.baseConfig(topology, "", true)
                + service("BadPassword", "readwritesplit", "cluster=Cluster\nuser=maxuser\npassword=wrong")
                + service("NoGrants", "readconnroute", "servers=db1\nuser=err_nogrants\npassword=nogrants")
                + service("NoPrimary", "readwritesplit", "servers=db2,db3\nuser=maxuser\npassword=maxpwd\n"
                        + "master_failure_mode=fail_instantly")
                + service("Primary", "readconnroute", "servers=db1\nrouter_options=master\nuser=maxuser\n"
                        + "password=maxpwd")
                + service("Capped", "readconnroute", "servers=db1\nuser=maxuser\npassword=maxpwd\n"
                        + "max_connections=1")
                + service("Throwing", MisbehavingRouter.MODULE.name(), "servers=db1\nuser=maxuser\npassword=maxpwd")
                + service("Refusing", MisbehavingRouter.MODULE.name(), "servers=db1\nuser=maxuser\npassword=maxpwd");
        List<Module> modules = new ArrayList<>(ModuleRegistry.load().all());
        modules.add(MisbehavingRouter.MODULE);
        sluice = SluiceFixture.start(topology, cnf, ModuleRegistry.of(modules), Set.of("BadPassword", "NoGrants"));
    }

    private static String service(String name, String router, String lines) {
        return "[" + name + "]\ntype=service\nrouter=" + router + "\n" + lines + "\n\n[" + name
                + "-Listener]\ntype=listener\nservice=" + name + "\nport=0\naddress=127.0.0.1\n\n";
    }

    @AfterAll
    static void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        try (Connection c = topology.primary().rootConnection(); Statement s = c.createStatement()) {
            s.execute("DROP USER IF EXISTS 'err_nogrants'@'%', '" + LIMITED_USER + "'@'%'");
        }
    }

    /** What Connector/J reports for a login through {@code listener}. */
    private static SQLException jdbcLoginError(String listener) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> sluice.connect(Client.MARIADB_TEXT, listener, "test", "").close());
        assertThat(t).isInstanceOf(SQLException.class);
        return (SQLException) t;
    }

    private static void assertJdbcError(SQLException e, int code, String sqlState, String messagePart) {
        assertThat(e.getErrorCode()).as("%s", e).isEqualTo(code);
        assertThat(e.getSQLState()).as("%s", e).isEqualTo(sqlState);
        assertThat(e.getMessage()).contains(messagePart);
    }

    /** The {@code mariadb} CLI's report of running {@code sql} through {@code listener}: its stderr. */
    private static String cliError(String listener, String sql, String... extra) throws Exception {
        ExternalCommand r = ExternalCommand.mariadb(sluice.port(listener), sql, null, extra);
        assertThat(r.exit()).as("stdout: %s", r.stdout()).isNotZero();
        assertThat(r.stderr()).doesNotContain("2027").doesNotContain("malformed");
        return r.stderr();
    }

    /** Logs in with {@link RawClient}; asserts the answer is an ERR with the login's next sequence number (2). */
    private static ErrPacket rawLoginError(String listener) throws Exception {
        try (RawClient c = RawClient.open(sluice.port(listener))) {
            byte[] answer = c.login("app", "apppwd", "test", RawClient.CAPABILITIES);
            assertThat(RawClient.isErr(answer)).as(RawClient.describe(answer)).isTrue();
            assertThat(c.lastSequence).as("the handshake response had sequence 1").isEqualTo(2);
            assertThat(c.readUntilClosed()).as("then the connection is closed").isEmpty();
            return RawClient.err(answer);
        }
    }

    @Test
    void aServiceWhoseUserHasTheWrongPasswordDeniesAccessSayingWhy() throws Exception {
        String why = "service 'BadPassword' could not load the user accounts from any of its servers";
        assertJdbcError(jdbcLoginError("BadPassword-Listener"), 1045, "28000", why);
        assertThat(cliError("BadPassword-Listener", "SELECT 1")).contains("ERROR 1045 (28000)")
                .contains("Access denied for user 'app'@'127.0.0.1'").contains(why);
        ErrPacket raw = rawLoginError("BadPassword-Listener");
        assertThat(raw.errorCode()).isEqualTo(1045);
        assertThat(raw.sqlState()).isEqualTo("28000");
        assertThat(raw.message()).contains(why).doesNotContain("maxuser"); // the service's user stays in the log
    }

    @Test
    void aServiceWhoseUserLacksTheGrantsDeniesAccessSayingWhy() throws Exception {
        String why = "service 'NoGrants' could not load the user accounts from any of its servers (check the "
                + "service's user, password and grants";
        assertJdbcError(jdbcLoginError("NoGrants-Listener"), 1045, "28000", why);
        assertThat(cliError("NoGrants-Listener", "SELECT 1")).contains("ERROR 1045 (28000)").contains(why);
        assertThat(rawLoginError("NoGrants-Listener").errorCode()).isEqualTo(1045);
    }

    @Test
    void aRouterWithoutAServerToRouteToRefusesTheLoginWithConnectionKilled() throws Exception {
        String why = "readwritesplit: no primary server is available";
        assertJdbcError(jdbcLoginError("NoPrimary-Listener"), 1927, "08S01", why);
        assertThat(cliError("NoPrimary-Listener", "SELECT 1")).contains("ERROR 1927 (08S01)").contains(why);
        ErrPacket raw = rawLoginError("NoPrimary-Listener");
        assertThat(raw.errorCode()).isEqualTo(1927);
        assertThat(raw.sqlState()).isEqualTo("08S01");
    }

    @Test
    void aBackendThatRefusesTheLoginRefusesTheClientWithTheServersReason() throws Exception {
        // MAX_USER_CONNECTIONS 1: while one client holds its backend connection, the server refuses a second
        try (Connection first = sluice.connect("Primary-Listener", LIMITED_USER, LIMITED_PASSWORD, "test", "")) {
            assertThat(first.isValid(5)).isTrue();
            String why = "No server is available for this connection: db1: User '" + LIMITED_USER
                    + "' has exceeded the 'max_user_connections' resource";
            SQLException e = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class,
                    () -> sluice.connect("Primary-Listener", LIMITED_USER, LIMITED_PASSWORD, "test", "").close());
            assertJdbcError(e, 1927, "08S01", why);
            assertThat(cliError("Primary-Listener", "SELECT 1", "-u", LIMITED_USER, "--password=" + LIMITED_PASSWORD))
                    .contains("ERROR 1927 (08S01)").contains(why);
        }
    }

    @Test
    void aListenerWhoseServiceIsFullRefusesWithTooManyConnections() throws Exception {
        try (Connection first = sluice.app("Capped-Listener")) {
            assertThat(first.isValid(5)).isTrue();
            assertJdbcError(jdbcLoginError("Capped-Listener"), 1040, "08004", "Too many connections");
            // Connector/C 3.3 does not trust an ERR sent instead of the greeting (as a server's own "too many
            // connections"): it reports 2002 and quotes the error
            assertThat(cliError("Capped-Listener", "SELECT 1")).contains("1040 - Too many connections");
            try (RawClient c = RawClient.open(sluice.port("Capped-Listener"))) {
                byte[] refusal = c.readPacket();
                assertThat(RawClient.err(refusal).errorCode()).as("instead of the greeting").isEqualTo(1040);
                assertThat(c.lastSequence).isZero();
            }
        }
    }

    @Test
    void aRouterThatFailsToStartRefusesTheLoginWithAnInternalError() throws Exception {
        String why = "Internal error: router failed to start";
        assertJdbcError(jdbcLoginError("Throwing-Listener"), 1815, "HY000", why);
        assertThat(cliError("Throwing-Listener", "SELECT 1")).contains("ERROR 1815 (HY000)").contains(why);
        assertThat(rawLoginError("Throwing-Listener").errorCode()).isEqualTo(1815);
    }

    /**
     * A router that ends a session after the login, with a client library's code (2003) as some older code did:
     * the ERR answers the request in flight (its sequence, not the login's), as 1927 / 08S01 with the message.
     */
    @Test
    void aRouterThatEndsTheSessionAnswersTheRequestInFlightWithAServerCode() throws Exception {
        try (RawClient c = RawClient.loggedIn(sluice.port("Refusing-Listener"), RawClient.CAPABILITIES)) {
            byte[] answer = c.command(Command.COM_QUERY, "SELECT 1");
            assertThat(c.lastSequence).isEqualTo(1);
            ErrPacket err = RawClient.err(answer);
            assertThat(err.errorCode()).isEqualTo(1927);
            assertThat(err.sqlState()).isEqualTo("08S01");
            assertThat(err.message()).isEqualTo(MisbehavingRouter.REFUSAL);
            assertThat(c.readUntilClosed()).isEmpty();
        }
        // Connector/J sends a statement of its own while connecting: that one gets the ERR
        SQLException e = jdbcLoginError("Refusing-Listener");
        while (e.getErrorCode() != 1927 && e.getCause() instanceof SQLException cause) {
            e = cause; // "Initialization command fail", caused by the server's error
        }
        assertJdbcError(e, 1927, "08S01", MisbehavingRouter.REFUSAL);
        assertThat(cliError("Refusing-Listener", "SELECT 1")).contains("ERROR 1927 (08S01)")
                .contains(MisbehavingRouter.REFUSAL);
    }

    /**
     * A test router, by service name: for {@code Throwing} its session's start() throws; for {@code Refusing} the
     * session is ready at once and ends itself with {@code fail(2003, ...)} at the first request.
     */
    static final class MisbehavingRouter implements Router {
        static final String REFUSAL = "misbehaving: this session ends here";
        static final Module MODULE = new Module("misbehaving", List.of(), ModuleKind.ROUTER, "1", "test",
                ParamSpec.of(), (RouterFactory) MisbehavingRouter::new);
        private final boolean throwing;

        MisbehavingRouter(RouterContext context) {
            this.throwing = context.serviceName().equals("Throwing");
        }

        @Override
        public RouterSession newSession(RouterSessionContext session) {
            return new RouterSession() {
                @Override
                public void start() {
                    if (throwing) {
                        throw new IllegalStateException("misbehaving router: start");
                    }
                    session.ready();
                }

                @Override
                public void routeQuery(Request request) {
                    request.release();
                    session.fail(2003, "HY000", REFUSAL);
                }

                @Override
                public void clientReply(ByteBuf packet, Endpoint endpoint, Reply reply) {
                    packet.release();
                }

                @Override
                public void endpointFailed(Endpoint endpoint, String reason, boolean replyInProgress) {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** A Sluice of its own over the primary, to stop. */
    private static SluiceFixture stoppable() throws Exception {
        return SluiceFixture.start(topology, SluiceFixture.baseConfig(topology, "", false)
                + SluiceFixture.service("Stopping", "running", "db1", "Stopping-Listener", ""));
    }

    @Test
    void aRequestStillRunningWhenTheGracePeriodEndsGetsServerShutdown() throws Exception {
        try (SluiceFixture own = stoppable();
             Connection c = own.connect(Client.MARIADB_TEXT, "Stopping-Listener", "test", "");
             RawClient raw = RawClient.loggedIn(own.port("Stopping-Listener"), RawClient.CAPABILITIES)) {
            CompletableFuture<Object> jdbc = CompletableFuture.supplyAsync(() -> {
                try (Statement st = c.createStatement()) {
                    return st.executeQuery("SELECT SLEEP(10)");
                } catch (SQLException e) {
                    return e;
                }
            });
            raw.writePacket(0, RawCommandsIT.payload(Command.COM_QUERY, "SELECT SLEEP(10)"));
            Thread.sleep(500);
            long start = System.nanoTime();
            own.server.stop(Duration.ofMillis(500));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            Object outcome = jdbc.get(15, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(SQLException.class);
            assertJdbcError((SQLException) outcome, 1053, "08S01", "Server shutdown in progress");
            byte[] err = raw.readPacket();
            assertThat(RawClient.err(err).errorCode()).isEqualTo(1053);
            assertThat(raw.lastSequence).as("the first packet of the reply to the query").isEqualTo(1);
        }
    }

    @Test
    void anIdleClientLearnsOfTheShutdownFromAnErrAndTheCliReportsIt() throws Exception {
        SluiceFixture own = stoppable();
        try (RawClient idle = RawClient.loggedIn(own.port("Stopping-Listener"), RawClient.CAPABILITIES)) {
            CompletableFuture<ExternalCommand> cli = CompletableFuture.supplyAsync(() -> {
                try {
                    return ExternalCommand.mariadb(own.port("Stopping-Listener"), "SELECT SLEEP(10)", null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500); // the CLI's query is running
            own.server.stop(Duration.ofMillis(500));
            byte[] err = idle.readPacket();
            assertThat(RawClient.err(err).errorCode()).isEqualTo(1053);
            assertThat(RawClient.err(err).sqlState()).isEqualTo("08S01");
            assertThat(idle.lastSequence).as("unsolicited, as the server sends it").isZero();
            assertThat(idle.readUntilClosed()).isEmpty();
            ExternalCommand r = cli.get(30, TimeUnit.SECONDS);
            assertThat(r.exit()).isNotZero();
            assertThat(r.stderr()).contains("ERROR 1053 (08S01)").contains("Server shutdown in progress");
        } finally {
            own.close();
        }
    }

    @Test
    void aServiceAsARoutingTargetIsRefusedAtLoadNotAtLogin() {
        String cnf = SluiceFixture.readWriteSplit(topology, "") + "\n[Nested]\ntype=service\nrouter=readconnroute\n"
                + "targets=RW\nuser=maxuser\npassword=maxpwd\n";
        assertThatThrownBy(() -> SluiceFixture.start(topology, cnf))
                .hasMessageContaining("[Nested] targets: 'RW' is a service: router readconnroute routes to servers "
                        + "only");
    }
}
