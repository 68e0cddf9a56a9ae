package dev.sluice.protocol.message.server;

import dev.sluice.protocol.Capability;
import dev.sluice.protocol.LengthEncoded;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The server's initial handshake packet, protocol version 10
 * (https://mariadb.com/kb/en/connection/#initial-handshake-packet). Sluice reads it from backends and writes
 * its own to clients.
 *
 * @param capabilities classic flags in the low 32 bits, MariaDB extended flags in the high 32 bits
 * @param scramble     the 20-byte nonce for mysql_native_password
 */
public record HandshakeV10(String serverVersion, long connectionId, byte[] scramble, long capabilities,
                           int collation, int statusFlags, String authPluginName) {

    public static HandshakeV10 decode(ByteBuf packet) {
        ByteBuf p = packet.duplicate().skipBytes(Packets.HEADER_SIZE);
        try {
            int protocol = p.readUnsignedByte();
            if (protocol != 10) {
                throw new ProtocolException("handshake protocol version: " + protocol + " (expected: 10)");
            }
            String version = LengthEncoded.readNulTerminated(p);
            long connectionId = p.readUnsignedIntLE();
            byte[] part1 = new byte[8];
            p.readBytes(part1);
            p.skipBytes(1);
            long caps = p.readUnsignedShortLE();
            int collation = p.readUnsignedByte();
            int status = p.readUnsignedShortLE();
            caps |= ((long) p.readUnsignedShortLE()) << 16;
            int authDataLength = p.readUnsignedByte();
            p.skipBytes(6);
            long extended = p.readUnsignedIntLE();
            if ((caps & Capability.CLIENT_MYSQL) == 0) {
                caps |= extended << 32;
            }
            byte[] scramble = part1;
            if ((caps & Capability.SECURE_CONNECTION) != 0) {
                int len2 = Math.max(13, authDataLength - 8);
                byte[] part2 = new byte[len2];
                p.readBytes(part2);
                int usable = part2[len2 - 1] == 0 ? len2 - 1 : len2;
                scramble = Arrays.copyOf(part1, 8 + usable);
                System.arraycopy(part2, 0, scramble, 8, usable);
            }
            String plugin = "mysql_native_password";
            if ((caps & Capability.PLUGIN_AUTH) != 0 && p.isReadable()) {
                plugin = LengthEncoded.readNulTerminated(p);
            }
            return new HandshakeV10(version, connectionId, scramble, caps, collation, status, plugin);
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolException("truncated handshake packet");
        }
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf buf = Packets.start(alloc, 128);
        buf.writeByte(10);
        LengthEncoded.writeNulTerminated(buf, serverVersion);
        buf.writeIntLE((int) connectionId);
        buf.writeBytes(scramble, 0, 8);
        buf.writeByte(0);
        buf.writeShortLE((int) (capabilities & 0xffff));
        buf.writeByte(collation);
        buf.writeShortLE(statusFlags);
        buf.writeShortLE((int) ((capabilities >>> 16) & 0xffff));
        buf.writeByte(scramble.length + 1);
        buf.writeZero(6);
        // MariaDB: extended capabilities live here when CLIENT_MYSQL is not set
        buf.writeIntLE((int) (capabilities >>> 32));
        buf.writeBytes(scramble, 8, scramble.length - 8);
        buf.writeByte(0);
        buf.writeBytes(authPluginName.getBytes(StandardCharsets.UTF_8));
        buf.writeByte(0);
        return Packets.finish(buf, 0);
    }
}
