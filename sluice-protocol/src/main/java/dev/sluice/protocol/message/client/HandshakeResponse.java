package dev.sluice.protocol.message.client;

import dev.sluice.protocol.Capability;
import dev.sluice.protocol.LengthEncoded;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The client's handshake response, protocol 4.1 with MariaDB extensions
 * (https://mariadb.com/kb/en/connection/#client-handshake-response). Sluice decodes it from clients and
 * encodes its own, with a recomputed auth token, towards each backend.
 *
 * @param connectAttributes the raw key/value block (without its lenenc length), forwarded as is; may be empty
 */
public record HandshakeResponse(long capabilities, int maxPacketSize, int collation, String user, byte[] authResponse,
                                String database, String authPluginName, byte[] connectAttributes) {

    /** Size of the fixed part; a packet of exactly this payload size with the SSL bit set is an SSL request. */
    public static final int FIXED_PART = 32;

    public static boolean isSslRequest(ByteBuf packet) {
        if (Packets.payloadLength(packet) != FIXED_PART) {
            return false;
        }
        long caps = packet.getUnsignedIntLE(packet.readerIndex() + Packets.HEADER_SIZE);
        return (caps & Capability.SSL) != 0;
    }

    /** Reads the capability flags from an SSL request or a full response (extended flags included). */
    public static long peekCapabilities(ByteBuf packet) {
        int base = packet.readerIndex() + Packets.HEADER_SIZE;
        long caps = packet.getUnsignedIntLE(base);
        if ((caps & Capability.CLIENT_MYSQL) == 0) {
            caps |= packet.getUnsignedIntLE(base + 28) << 32;
        }
        return caps;
    }

    public static HandshakeResponse decode(ByteBuf packet) {
        if (Packets.payloadLength(packet) < FIXED_PART) {
            throw new ProtocolException("handshake response too short: " + Packets.payloadLength(packet) + " bytes");
        }
        ByteBuf p = packet.duplicate().skipBytes(Packets.HEADER_SIZE);
        try {
            long caps = p.readUnsignedIntLE();
            if ((caps & Capability.PROTOCOL_41) == 0) {
                throw new ProtocolException("client does not speak protocol 4.1");
            }
            int maxPacket = p.readIntLE();
            int collation = p.readUnsignedByte();
            p.skipBytes(19);
            long extended = p.readUnsignedIntLE();
            if ((caps & Capability.CLIENT_MYSQL) == 0) {
                caps |= extended << 32;
            }
            String user = LengthEncoded.readNulTerminated(p);
            byte[] auth;
            if ((caps & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
                auth = LengthEncoded.readBytes(p);
                if (auth == null) {
                    auth = new byte[0];
                }
            } else if ((caps & Capability.SECURE_CONNECTION) != 0) {
                int len = p.readUnsignedByte();
                auth = new byte[len];
                p.readBytes(auth);
            } else {
                auth = LengthEncoded.readNulTerminatedBytes(p);
            }
            String database = null;
            if ((caps & Capability.CONNECT_WITH_DB) != 0 && p.isReadable()) {
                database = LengthEncoded.readNulTerminated(p);
                if (database.isEmpty()) {
                    database = null;
                }
            }
            String plugin = "";
            if ((caps & Capability.PLUGIN_AUTH) != 0 && p.isReadable()) {
                plugin = LengthEncoded.readNulTerminated(p);
            }
            byte[] attrs = new byte[0];
            if ((caps & Capability.CONNECT_ATTRS) != 0 && p.isReadable()) {
                attrs = LengthEncoded.readBytes(p);
                if (attrs == null) {
                    attrs = new byte[0];
                }
            }
            return new HandshakeResponse(caps, maxPacket, collation, user, auth, database, plugin, attrs);
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolException("truncated handshake response");
        }
    }

    /** Encodes this response; {@code sequence} is 1 after a plain handshake, 2 after an SSL request. */
    public ByteBuf encode(ByteBufAllocator alloc, int sequence) {
        ByteBuf buf = Packets.start(alloc, 64 + user.length() + authResponse.length + connectAttributes.length);
        long caps = capabilities;
        buf.writeIntLE((int) caps);
        buf.writeIntLE(maxPacketSize);
        buf.writeByte(collation);
        buf.writeZero(19);
        buf.writeIntLE((caps & Capability.CLIENT_MYSQL) == 0 ? (int) (caps >>> 32) : 0);
        LengthEncoded.writeNulTerminated(buf, user);
        if ((caps & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            LengthEncoded.writeBytes(buf, authResponse);
        } else {
            buf.writeByte(authResponse.length);
            buf.writeBytes(authResponse);
        }
        if ((caps & Capability.CONNECT_WITH_DB) != 0) {
            LengthEncoded.writeNulTerminated(buf, database == null ? "" : database);
        }
        if ((caps & Capability.PLUGIN_AUTH) != 0) {
            LengthEncoded.writeNulTerminated(buf, authPluginName);
        }
        if ((caps & Capability.CONNECT_ATTRS) != 0) {
            LengthEncoded.writeBytes(buf, connectAttributes);
        }
        return Packets.finish(buf, sequence);
    }

    /** The SSL request: the fixed part alone, sent before the TLS handshake. */
    public static ByteBuf encodeSslRequest(ByteBufAllocator alloc, long capabilities, int maxPacketSize, int collation) {
        ByteBuf buf = Packets.start(alloc, FIXED_PART);
        buf.writeIntLE((int) (capabilities | Capability.SSL));
        buf.writeIntLE(maxPacketSize);
        buf.writeByte(collation);
        buf.writeZero(19);
        buf.writeIntLE((capabilities & Capability.CLIENT_MYSQL) == 0 ? (int) (capabilities >>> 32) : 0);
        return Packets.finish(buf, 1);
    }
}
