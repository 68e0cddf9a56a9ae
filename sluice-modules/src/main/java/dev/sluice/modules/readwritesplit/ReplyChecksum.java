package dev.sluice.modules.readwritesplit;

import dev.sluice.api.reply.Reply;
import dev.sluice.protocol.LengthEncoded;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The checksum of one reply, for transaction_replay: a replayed statement must give the client the same
 * answer as the first time. What counts ({@code transaction_replay_checksum}):
 * <ul>
 *   <li>{@code full}: the kind of reply; for an OK its affected rows and last insert id; for an ERR its
 *       error code; for a result set every packet (column definitions and rows) but the warning count and
 *       server status flags of its EOF packets;</li>
 *   <li>{@code no_insert_id}: the same without the last insert id of OK packets (auto-increment values may
 *       differ on the new primary);</li>
 *   <li>{@code result_only}: OK packets count only as "an OK" (results and errors still count fully).</li>
 * </ul>
 * Error messages and OK info texts are left out: they may name a thread id or a deadlock victim. One instance
 * checksums one reply at a time. Confined to the session's worker.
 */
final class ReplyChecksum {
    enum Mode {
        FULL, RESULT_ONLY, NO_INSERT_ID;

        static Mode of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private final Mode mode;
    private final MessageDigest digest;
    // confined to the session's worker
    private boolean first = true;
    private boolean resultSet;

    ReplyChecksum(Mode mode) {
        this.mode = mode;
        try {
            this.digest = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1: not available (expected: every JRE has it)", e);
        }
    }

    /** Adds one packet of the reply (header included; not consumed) and what the protocol layer read of it. */
    void update(ByteBuf packet, Reply reply) {
        int payload = packet.readerIndex() + Packets.HEADER_SIZE;
        int length = Packets.payloadLength(packet);
        boolean last = reply.isComplete();
        if (first) {
            first = false;
            switch (reply.kind()) {
                case OK -> {
                    digest.update((byte) 0x00);
                    resultSet = false;
                    if (mode != Mode.RESULT_ONLY) {
                        updateLong(reply.affectedRows());
                        if (mode == Mode.FULL) {
                            updateLong(reply.lastInsertId());
                        }
                    }
                    return;
                }
                case ERROR -> {
                    digest.update((byte) 0xff);
                    resultSet = false;
                    updateLong(reply.error().code());
                    return;
                }
                default -> {
                    digest.update((byte) 0x01);
                    resultSet = true;
                }
            }
        }
        if (!resultSet) {
            return; // a packet after an OK/ERR: only MORE_RESULTS replies have them, and each starts a result
        }
        if (last || length > 0 && length < 9 && packet.getUnsignedByte(payload) == 0xfe) {
            // the final packet, or the EOF after the column definitions: its warning count and server status
            // flags (e.g. "no index used", "last row sent") may differ on another server for the same rows
            digest.update(length == 0 ? 0 : packet.getByte(payload));
            return;
        }
        digest.update(packet.nioBuffer(payload, length));
    }

    private void updateLong(long v) {
        for (int i = 0; i < 8; i++) {
            digest.update((byte) (v >>> (8 * i)));
        }
    }

    /** The checksum of the reply fed so far; the next {@link #update} starts a new reply. */
    byte[] finish() {
        first = true;
        resultSet = false;
        return digest.digest();
    }
}
