package dev.sluice.modules.readconnroute;

import dev.sluice.api.chain.Request;
import dev.sluice.api.reply.Reply;
import dev.sluice.api.router.Endpoint;
import dev.sluice.api.router.RouterSession;
import dev.sluice.api.router.RouterSessionContext;
import dev.sluice.api.server.Server;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One client's readconnroute session: connects to the most preferred server (trying the next candidate
 * when a connection fails), then forwards every packet both ways unchanged. Confined to the session's worker.
 */
final class ReadConnRouteSession implements RouterSession {
    private final ReadConnRoute router;
    private final RouterSessionContext session;
    // worker-confined state
    private Endpoint endpoint;
    private boolean counted;
    private String lastFailure = "no eligible server";

    ReadConnRouteSession(ReadConnRoute router, RouterSessionContext session) {
        this.router = router;
        this.session = session;
    }

    @Override
    public void start() {
        Deque<Server> candidates = new ArrayDeque<>(
                router.chooser().candidates(session.servers(), router::currentConnections));
        tryNext(candidates);
    }

    private void tryNext(Deque<Server> candidates) {
        Server server = candidates.poll();
        if (server == null) {
            session.fail(2003, "HY000", "No server is available for this connection: " + lastFailure);
            return;
        }
        router.connectionCount(server).incrementAndGet();
        session.connect(server, new RouterSessionContext.ConnectListener() {
            @Override
            public void connected(Endpoint e) {
                endpoint = e;
                counted = true;
                session.ready();
            }

            @Override
            public void failed(String reason) {
                router.connectionCount(server).decrementAndGet();
                lastFailure = server.name() + ": " + reason;
                tryNext(candidates);
            }
        });
    }

    @Override
    public void routeQuery(Request request) {
        int command = request.command();
        if (command >= 0) {
            router.queries.increment();
        }
        endpoint.write(request.takePacket(), command);
    }

    @Override
    public void clientReply(ByteBuf packet, Endpoint from, Reply reply) {
        session.writeToClient(packet);
    }

    @Override
    public void endpointFailed(Endpoint failed, String reason, boolean replyInProgress) {
        if (replyInProgress || session.clientWaitingForReply()) {
            // 1927 ER_CONNECTION_KILLED, as readwritesplit: MariaDB Connector/C turns a 2xxx code sent by a
            // server into its own 2027 "malformed packet", hiding the reason from the client
            session.replyError(1927, "08S01", "Lost connection to backend server '" + failed.server().name()
                    + "' during query: " + reason);
        }
        session.closeSession("backend " + failed.server().name() + " failed: " + reason);
    }

    @Override
    public void close() {
        if (counted) {
            counted = false;
            router.connectionCount(endpoint.server()).decrementAndGet();
        }
    }
}
