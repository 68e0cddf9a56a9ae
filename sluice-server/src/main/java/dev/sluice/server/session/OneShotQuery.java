package dev.sluice.server.session;

import dev.sluice.protocol.Command;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.server.core.ServerRuntime;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Runs one statement on a fresh backend connection logged in as the session's user, then closes it. Used to
 * deliver {@code KILL QUERY} to the backend thread of another session, with the client's own privileges.
 * Confined to the worker it was started on.
 */
final class OneShotQuery implements BackendOwner {
    private final Consumer<String> done;
    private boolean finished;

    private OneShotQuery(Consumer<String> done) {
        this.done = done;
    }

    /** @param done gets null on success or the error text; called once, on the session's worker */
    static void run(ClientSession session, ServerRuntime server, String sql, Consumer<String> done) {
        OneShotQuery q = new OneShotQuery(done);
        int timeout = (int) Math.min(Integer.MAX_VALUE, session.service().settings().connectTimeout().toMillis());
        BackendConnection.open(server, session.worker(), session.login, q, timeout, (b, failure, finalPacket) -> {
            if (failure != null) {
                q.finish(null, failure);
                return;
            }
            byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
            ByteBuf p = Packets.start(session.channel().alloc(), bytes.length + 1);
            p.writeByte(Command.COM_QUERY).writeBytes(bytes);
            b.write(Packets.finish(p, 0), Command.COM_QUERY);
            b.flush();
        });
    }

    private void finish(BackendConnection b, String error) {
        if (finished) {
            return;
        }
        finished = true;
        if (b != null) {
            b.close();
        }
        done.accept(error);
    }

    @Override
    public void backendReply(BackendConnection backend, ByteBuf packet, boolean replyComplete) {
        String error = ErrPacket.is(packet) ? ErrPacket.decode(packet).message() : null;
        packet.release();
        if (replyComplete || error != null) {
            finish(backend, error);
        }
    }

    @Override
    public void backendFailed(BackendConnection backend, String reason, boolean replyInProgress) {
        finish(null, reason);
    }

    @Override
    public void backendWritten(BackendConnection backend) {
    }

    @Override
    public void backendReadComplete(BackendConnection backend) {
    }

    @Override
    public void backendWritabilityChanged(BackendConnection backend, boolean writable) {
    }
}
