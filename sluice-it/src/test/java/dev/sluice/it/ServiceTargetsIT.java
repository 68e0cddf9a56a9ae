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
import dev.sluice.api.router.RouterFactory;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.api.server.Target;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.testkit.LeakCheck;
import dev.sluice.testkit.MariaDbCluster;
import dev.sluice.testkit.MariaDbTopology;
import io.netty.buffer.ByteBuf;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Services as routing targets: a service whose {@code targets=} names other services routes to them through
 * their routers (here a readwritesplit service and a readconnroute one), with a minimal test router that sends
 * every request to its first usable target. Checks that reads and writes are split by the inner readwritesplit
 * as for its own clients, that the outer router gets typed replies, prepared statements and transactions work
 * through two routers, and that a target service that cannot serve ends with a proper ERR.
 */
@MariaDbCluster(replicas = 2)
@ExtendWith(LeakCheck.class)
class ServiceTargetsIT {
    static MariaDbTopology topology;
    static SluiceFixture sluice;
    /** What the outer router saw of each complete reply: its kind (and error code). */
    static final ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();

    /** Routes every request to the first of its targets whose status is usable; a service target preferred. */
    static final Module FIRST_TARGET = new Module("firsttarget", List.of(), ModuleKind.ROUTER, "test",
            "test router: everything to the first usable target", ParamSpec.of(), new RouterFactory() {
                @Override
                public Router create(dev.sluice.api.router.RouterContext context) {
                    return session -> new FirstTargetSession(session);
                }

                @Override
                public boolean routesToServices() {
                    return true;
                }
            });

    static final class FirstTargetSession implements RouterSession {
        private final RouterSessionContext session;
        private Endpoint endpoint;

        FirstTargetSession(RouterSessionContext session) {
            this.session = session;
        }

        @Override
        public void start() {
            List<Target> usable = new ArrayList<>();
            for (Target t : session.targets()) {
                if (t.status().isUsable()) {
                    usable.add(t);
                }
            }
            if (usable.isEmpty()) {
                session.fail(1927, "08S01", "no usable target");
                return;
            }
            session.open(usable.get(0), new RouterSessionContext.ConnectListener() {
                @Override
                public void connected(Endpoint e) {
                    endpoint = e;
                    session.ready();
                }

                @Override
                public void failed(String reason) {
                    session.fail(1927, "08S01", "cannot reach " + usable.get(0).name() + ": " + reason);
                }
            });
        }

        @Override
        public void routeQuery(Request request) {
            endpoint.write(request.takePacket(), request.command());
        }

        @Override
        public void clientReply(ByteBuf packet, Endpoint from, Reply reply) {
            if (reply.isComplete()) {
                replies.add(reply.kind() + (reply.isError() ? " " + reply.error().code() : ""));
            }
            session.writeToClient(packet);
        }

        @Override
        public void endpointFailed(Endpoint failed, String reason, boolean replyInProgress) {
            if (replyInProgress || session.clientWaitingForReply()) {
                session.replyError(1927, "08S01", "Lost connection to " + failed.server().name() + ": " + reason);
            }
            session.closeSession(reason);
        }

        @Override
        public void close() {
        }
    }

    @BeforeAll
    static void start() throws Exception {
        List<Module> modules = new ArrayList<>(ModuleRegistry.load().all());
        modules.add(FIRST_TARGET);
        String config = SluiceFixture.readWriteSplit(topology, "")
                + "\n[Outer]\ntype=service\nrouter=firsttarget\ntargets=RW\nuser=maxuser\npassword=maxpwd\n\n"
                + "[Outer-Listener]\ntype=listener\nservice=Outer\nport=0\naddress=127.0.0.1\n\n"
                // a service with a target service that has no usable server: master-only over a replica
                + SluiceFixture.service("Nowhere", "master", "db2", "Nowhere-Listener", "")
                + "[Outer2]\ntype=service\nrouter=firsttarget\ntargets=Nowhere\nuser=maxuser\npassword=maxpwd\n\n"
                + "[Outer2-Listener]\ntype=listener\nservice=Outer2\nport=0\naddress=127.0.0.1\n";
        sluice = SluiceFixture.start(topology, config, ModuleRegistry.of(modules));
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    static Connection connect(String listener) throws SQLException {
        return sluice.connect(listener, "app", "apppwd", "test", "");
    }

    @Test
    void readsAndWritesAreSplitByTheTargetService() throws Exception {
        int primaryPort = topology.primary().port();
        try (Connection c = connect("Outer-Listener")) {
            try (var st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS test.st (id INT PRIMARY KEY, v INT)");
                st.execute("REPLACE INTO test.st VALUES (1, 10)");
                // autocommit reads go to a replica through the inner readwritesplit
                assertThat(SluiceFixture.serverPort(st)).isNotEqualTo(primaryPort);
                st.execute("BEGIN");
                assertThat(SluiceFixture.serverPort(st)).isEqualTo(primaryPort);
                st.execute("UPDATE test.st SET v = 11 WHERE id = 1");
                st.execute("COMMIT");
            }
            try (var ps = c.prepareStatement("SELECT v FROM test.st WHERE id = ?")) {
                ps.setInt(1, 1);
                topology.waitForReplication(java.time.Duration.ofSeconds(10));
                try (var rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(11);
                }
            }
        }
        assertThat(replies).contains("OK", "RESULT_SET");
    }

    @Test
    void anErrorOfTheTargetServiceReachesTheClientAsAnErrAndTheSessionGoesOn() throws Exception {
        try (Connection c = connect("Outer-Listener"); var st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM test.no_such_table"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1146));
            assertThat(replies).contains("ERROR 1146");
            assertThat(SluiceFixture.serverPort(st)).isPositive();
        }
    }

    @Test
    void aTargetServiceThatCannotServeRefusesTheLoginWithAnErr() {
        assertThatThrownBy(() -> connect("Outer2-Listener").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> {
                    SQLException s = (SQLException) e;
                    assertThat(s.getErrorCode()).isEqualTo(1927);
                    assertThat(s.getMessage()).contains("Nowhere");
                });
    }
}
