package dev.sluice.server.session;

import dev.sluice.api.auth.Authenticator;
import dev.sluice.api.auth.Credential;
import dev.sluice.protocol.Capability;
import dev.sluice.protocol.Command;
import dev.sluice.protocol.LengthEncoded;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ProtocolException;
import dev.sluice.protocol.ProxyError;
import dev.sluice.protocol.ServerStatusFlag;
import dev.sluice.protocol.message.server.AuthSwitchRequest;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.protocol.message.server.OkPacket;
import dev.sluice.protocol.message.server.SessionTrack;
import dev.sluice.server.auth.UserAccount;
import dev.sluice.server.auth.UserAccounts;
import dev.sluice.server.core.ServerRuntime;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The commands the proxy answers itself instead of the router: COM_QUIT, KILL (COM_PROCESS_KILL and the
 * {@code KILL [CONNECTION|QUERY] id} statement, where id is a Sluice session id translated to the backend
 * threads of that session), and COM_CHANGE_USER (re-authenticated by Sluice, then applied to every backend).
 * Confined to the session's worker.
 */
final class SessionCommands {
    private final ClientSession session;
    // worker-confined state of a COM_CHANGE_USER waiting for the client's auth switch response
    private ChangeUserRequest pendingChangeUser;

    SessionCommands(ClientSession session) {
        this.session = session;
    }

    boolean awaitingAuthSwitchResponse() {
        return pendingChangeUser != null;
    }

    /** @return true when the packet was consumed (released or kept) here */
    boolean intercept(ByteBuf packet, int command) {
        if (pendingChangeUser != null) {
            ChangeUserRequest req = pendingChangeUser;
            pendingChangeUser = null;
            byte[] token = new byte[Packets.payloadLength(packet)];
            packet.getBytes(packet.readerIndex() + Packets.HEADER_SIZE, token);
            session.setLastClientSequence(Packets.sequence(packet));
            packet.release();
            finishChangeUser(req, token, req.switchScramble);
            return true;
        }
        switch (command) {
            case Command.COM_QUIT:
                packet.release();
                session.closeSession("client quit");
                return true;
            case Command.COM_PROCESS_KILL: {
                long target = Packets.payloadLength(packet) >= 5
                        ? packet.getUnsignedIntLE(packet.readerIndex() + Packets.HEADER_SIZE + 1) : -1;
                packet.release();
                kill(target, false);
                return true;
            }
            case Command.COM_QUERY: {
                KillStatement kill = KillStatement.parse(packet);
                if (kill == null) {
                    return false;
                }
                packet.release();
                kill(kill.id(), kill.queryOnly());
                return true;
            }
            case Command.COM_CHANGE_USER:
                changeUser(packet);
                return true;
            default:
                return false;
        }
    }

    // ---- KILL

    private void kill(long targetId, boolean queryOnly) {
        session.markAwaitingReply(true);
        ClientSession target = session.listener().registry().find(targetId);
        if (target == null) {
            session.replyError(ProxyError.UNKNOWN_THREAD.packet(targetId));
            return;
        }
        if (!target.user().equals(session.user())) {
            session.replyError(ProxyError.NOT_OWNER.packet(targetId));
            return;
        }
        if (!queryOnly) {
            if (target == session) {
                session.kill();
                return;
            }
            target.worker().eventLoop().execute(target::kill);
            replyOk();
            return;
        }
        // read the target's backend threads on its own worker, then kill them from ours
        CompletableFuture<List<BackendThread>> threads = new CompletableFuture<>();
        target.worker().eventLoop().execute(() -> {
            List<BackendThread> list = new ArrayList<>();
            for (BackendConnection b : target.endpoints()) {
                list.add(new BackendThread((ServerRuntime) b.server(), b.backendThreadId()));
            }
            threads.complete(list);
        });
        threads.thenAccept(list -> session.worker().eventLoop().execute(() -> killQueries(list)));
    }

    private record BackendThread(ServerRuntime server, long threadId) {
    }

    private void killQueries(List<BackendThread> threads) {
        if (threads.isEmpty()) {
            replyOk();
            return;
        }
        int[] remaining = {threads.size()};
        String[] firstError = {null};
        for (BackendThread t : threads) {
            OneShotQuery.run(session, t.server(), "KILL QUERY " + t.threadId(), error -> {
                if (error != null && firstError[0] == null) {
                    firstError[0] = error;
                }
                if (--remaining[0] == 0) {
                    if (firstError[0] == null) {
                        replyOk();
                    } else {
                        session.replyError(ProxyError.INTERNAL.packet(firstError[0]));
                    }
                }
            });
        }
    }

    private void replyOk() {
        session.markAwaitingReply(false);
        session.toClient(new OkPacket(0, 0, ServerStatusFlag.AUTOCOMMIT, 0)
                .encode(session.channel().alloc(), (session.lastClientSequence() + 1) & 0xff));
        session.channel().flush();
    }

    // ---- COM_CHANGE_USER

    private record ChangeUserRequest(String user, byte[] token, String database, int collation, byte[] attributes,
                                     byte[] switchScramble) {
    }

    private void changeUser(ByteBuf packet) {
        ChangeUserRequest req;
        try {
            ByteBuf p = packet.duplicate().skipBytes(Packets.HEADER_SIZE + 1);
            String user = LengthEncoded.readNulTerminated(p);
            int len = p.readUnsignedByte();
            byte[] token = new byte[len];
            p.readBytes(token);
            String db = p.isReadable() ? LengthEncoded.readNulTerminated(p) : "";
            int collation = p.readableBytes() >= 2 ? p.readUnsignedShortLE() : session.login.collation();
            String plugin = p.isReadable() ? LengthEncoded.readNulTerminated(p) : "";
            byte[] attrs = new byte[0];
            if (p.isReadable() && Capability.has(session.login.capabilities(), Capability.CONNECT_ATTRS)) {
                attrs = LengthEncoded.readBytes(p);
            }
            req = new ChangeUserRequest(user, token, db.isEmpty() ? null : db, collation,
                    attrs == null ? new byte[0] : attrs, null);
            Authenticator method = session.login.authenticator();
            if (!plugin.isEmpty() && !plugin.equals(method.clientPlugin())) {
                token = null;
            }
            if (token == null || !verifies(req, req.token(), session.scramble())) {
                // the token was not made with our scramble or plugin: ask again with a fresh one
                byte[] fresh = method.newChallenge();
                pendingChangeUser = new ChangeUserRequest(user, null, req.database(), collation, req.attributes(),
                        fresh);
                session.markAwaitingReply(true);
                session.toClient(new AuthSwitchRequest(method.clientPlugin(), fresh)
                        .encode(session.channel().alloc(), 1));
                session.channel().flush();
                return;
            }
        } catch (IndexOutOfBoundsException e) {
            session.replyError(ProxyError.BAD_HANDSHAKE.packet());
            return;
        } finally {
            packet.release();
        }
        finishChangeUser(req, req.token(), session.scramble());
    }

    private boolean verifies(ChangeUserRequest req, byte[] token, byte[] scramble) {
        UserAccounts accounts = session.service().accounts().current();
        UserAccount account = accounts.find(req.user(), session.clientHost(), session.service().settings().skipNameResolve());
        return account != null
                && session.login.authenticator().verify(scramble, token, account.asAccount()) != null;
    }

    private void finishChangeUser(ChangeUserRequest req, byte[] token, byte[] scramble) {
        session.markAwaitingReply(true);
        UserAccounts accounts = session.service().accounts().current();
        String host = session.clientHost();
        UserAccount account = accounts.find(req.user(), host, session.service().settings().skipNameResolve());
        // the session's authenticator checks the new user too (the client's plugin of this session)
        Authenticator method = session.login.authenticator();
        Credential credential = null;
        if (account != null && method.handles(account.plugin())
                && !(req.user().equals("root") && !session.service().settings().enableRootUser())) {
            credential = method.verify(scramble, token, account.asAccount());
        }
        if (credential == null) {
            session.replyError(ProxyError.ACCESS_DENIED.packet(req.user(), host, token.length > 0 ? "YES" : "NO"));
            session.closeSession("change user: access denied");
            return;
        }
        if (req.database() != null) {
            if (!accounts.mayUseDatabase(account, req.database())) {
                session.replyError(ProxyError.DB_ACCESS_DENIED.packet(req.user(), account.host(), req.database()));
                session.closeSession("change user: database access denied");
                return;
            }
            if (!accounts.databaseExists(req.database())) {
                session.replyError(ProxyError.UNKNOWN_DATABASE.packet(req.database()));
                session.closeSession("change user: unknown database");
                return;
            }
        }
        LoginRequest newLogin = new LoginRequest(req.user(), method, credential, req.database(), req.collation(),
                session.login.capabilities(), req.attributes());
        session.login = newLogin;
        List<BackendConnection> backends = new ArrayList<>(session.endpoints());
        if (backends.isEmpty()) {
            replyOk();
            return;
        }
        int[] remaining = {backends.size()};
        ByteBuf[] answer = {null};
        for (BackendConnection b : backends) {
            b.changeUser(newLogin, session, (backend, failure, finalPacket) -> {
                if (answer[0] == null && finalPacket != null) {
                    answer[0] = withoutSessionState(backend, finalPacket);
                } else if (finalPacket != null) {
                    finalPacket.release();
                }
                if (failure != null) {
                    backend.close();
                }
                if (--remaining[0] == 0) {
                    deliverChangeUserAnswer(answer[0]);
                }
            });
        }
    }

    /**
     * The backend's OK to COM_CHANGE_USER as the client reads it: a connection that negotiated CLIENT_SESSION_TRACK
     * for a router (readwritesplit) when the client did not may put session state in it.
     */
    private ByteBuf withoutSessionState(BackendConnection backend, ByteBuf ok) {
        if (Packets.firstByte(ok) != 0x00
                || !SessionTrack.mustStrip(backend.capabilities(), session.login.capabilities())) {
            return ok;
        }
        try {
            return SessionTrack.withoutSessionState(ok);
        } catch (ProtocolException e) {
            return ok;
        }
    }

    private void deliverChangeUserAnswer(ByteBuf answer) {
        session.markAwaitingReply(false);
        if (answer == null) {
            session.replyError(ProxyError.INTERNAL.packet("no backend answered COM_CHANGE_USER"));
            session.closeSession("change user failed");
            return;
        }
        boolean ok = Packets.firstByte(answer) == 0x00;
        Packets.setSequence(answer, (session.lastClientSequence() + 1) & 0xff);
        session.toClient(answer);
        session.channel().flush();
        if (!ok) {
            session.closeSession("a backend refused COM_CHANGE_USER");
        } else {
            session.routerUserChanged();
        }
    }

    /** {@code KILL [CONNECTION | QUERY] <number>} in a COM_QUERY, recognised without the classifier. */
    record KillStatement(long id, boolean queryOnly) {
        static KillStatement parse(ByteBuf packet) {
            int len = Packets.payloadLength(packet) - 1;
            if (len < 6 || len > 64) {
                return null;
            }
            int start = packet.readerIndex() + Packets.HEADER_SIZE + 1;
            int i = 0;
            while (i < len && Character.isWhitespace(packet.getByte(start + i))) {
                i++;
            }
            if (i == len || (packet.getByte(start + i) | 0x20) != 'k') {
                return null; // the common case costs two byte reads
            }
            String sql = packet.toString(packet.readerIndex() + Packets.HEADER_SIZE + 1, len, StandardCharsets.UTF_8)
                    .strip();
            if (sql.length() < 6 || !sql.regionMatches(true, 0, "KILL", 0, 4)
                    || !Character.isWhitespace(sql.charAt(4))) {
                return null;
            }
            String rest = sql.substring(5).strip();
            if (rest.endsWith(";")) {
                rest = rest.substring(0, rest.length() - 1).strip();
            }
            boolean query = false;
            String upper = rest.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("CONNECTION ")) {
                rest = rest.substring(11).strip();
            } else if (upper.startsWith("QUERY ")) {
                query = true;
                rest = rest.substring(6).strip();
            }
            if (rest.isEmpty() || rest.length() > 10) {
                return null;
            }
            for (int k = 0; k < rest.length(); k++) {
                if (!Character.isDigit(rest.charAt(k))) {
                    return null; // KILL USER, KILL QUERY ID …: the server handles those
                }
            }
            return new KillStatement(Long.parseLong(rest), query);
        }
    }

}
