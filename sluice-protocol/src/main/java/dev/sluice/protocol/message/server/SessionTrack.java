package dev.sluice.protocol.message.server;

import dev.sluice.api.reply.SessionChanges;
import dev.sluice.protocol.Capability;
import dev.sluice.protocol.LengthEncoded;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ProtocolException;
import dev.sluice.protocol.ServerStatusFlag;
import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session state change information of an OK packet (CLIENT_SESSION_TRACK negotiated and
 * SERVER_SESSION_STATE_CHANGED set; https://mariadb.com/kb/en/ok_packet/): after the status and warnings come
 * the info text and a block of entries, each a type byte and length-encoded data.
 * <ul>
 *   <li>0 SESSION_TRACK_SYSTEM_VARIABLES: name and value (e.g. {@code last_gtid} = {@code 0-1-5},
 *       {@code autocommit} = {@code OFF}, {@code tx_isolation} = {@code SERIALIZABLE});</li>
 *   <li>1 SESSION_TRACK_SCHEMA: the new default database;</li>
 *   <li>2 SESSION_TRACK_STATE_CHANGE: "1";</li>
 *   <li>3 SESSION_TRACK_GTIDS (MySQL's session_track_gtids): an encoding byte, then the GTID set;</li>
 *   <li>4 SESSION_TRACK_TRANSACTION_CHARACTERISTICS: SQL that restarts the transaction as it is, e.g.
 *       {@code START TRANSACTION READ ONLY;}, or empty;</li>
 *   <li>5 SESSION_TRACK_TRANSACTION_STATE: eight characters, {@code T}/{@code I}/{@code _} (explicit,
 *       implicit, no transaction), then {@code r R w W s S L} or {@code _} (non-transactional / transactional
 *       read, non-transactional / transactional write, unsafe statement, result set sent, LOCK TABLES).</li>
 * </ul>
 * Unknown entry types are skipped.
 */
public final class SessionTrack {
    public static final int SYSTEM_VARIABLES = 0;
    public static final int SCHEMA = 1;
    public static final int STATE_CHANGE = 2;
    public static final int GTIDS = 3;
    public static final int TRANSACTION_CHARACTERISTICS = 4;
    public static final int TRANSACTION_STATE = 5;

    private SessionTrack() {
    }

    /**
     * Reads the session state changes of an OK packet (header included, 0x00 or, with CLIENT_DEPRECATE_EOF, the
     * 0xFE that ends a result set; not consumed). Returns {@link SessionChanges#NONE} when the packet carries none.
     * Call only when CLIENT_SESSION_TRACK was negotiated: without it the info text runs to the end of the packet.
     *
     * @throws ProtocolException when the packet is not an OK packet or its session state block is malformed
     */
    public static SessionChanges parse(ByteBuf packet) {
        int first = Packets.firstByte(packet);
        if (first != 0x00 && first != 0xfe) {
            throw new ProtocolException("not an OK packet: first byte 0x" + Integer.toHexString(first));
        }
        ByteBuf p = packet.slice(packet.readerIndex() + Packets.HEADER_SIZE + 1, Packets.payloadLength(packet) - 1);
        try {
            LengthEncoded.readInt(p); // affected rows
            LengthEncoded.readInt(p); // last insert id
            int status = p.readUnsignedShortLE();
            p.skipBytes(2); // warnings
            if ((status & ServerStatusFlag.SESSION_STATE_CHANGED) == 0 || !p.isReadable()) {
                return SessionChanges.NONE;
            }
            skipLengthEncoded(p); // info
            if (!p.isReadable()) {
                return SessionChanges.NONE;
            }
            long blockLength = LengthEncoded.readInt(p);
            if (blockLength < 0 || blockLength > p.readableBytes()) {
                throw new ProtocolException("session state block of " + blockLength + " bytes, "
                        + p.readableBytes() + " left in the packet");
            }
            return entries(p.readSlice((int) blockLength));
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolException("truncated OK packet: " + e.getMessage());
        }
    }

    /**
     * Whether OK packets from a connection that negotiated {@code backendCapabilities} must lose their session
     * state before they reach a client that negotiated {@code clientCapabilities}: the connection tracks, the
     * client did not ask for it.
     */
    public static boolean mustStrip(long backendCapabilities, long clientCapabilities) {
        return Capability.has(backendCapabilities, Capability.SESSION_TRACK)
                && !Capability.has(clientCapabilities, Capability.SESSION_TRACK);
    }

    /**
     * An OK packet from a server that negotiated CLIENT_SESSION_TRACK, as the server would have sent it to a client
     * that did not (https://mariadb.com/kb/en/ok_packet/; MariaDB's and MySQL's net_send_ok length-encode the info
     * text either way, and leave it out when empty without session state): the session state block dropped and
     * SERVER_SESSION_STATE_CHANGED cleared; header byte (0x00 or the 0xFE of a DEPRECATE_EOF OK), affected rows,
     * insert id, other status flags, warnings, info text and sequence id are kept exactly. An OK without the flag is
     * already in that form: {@code packet} itself is returned. Otherwise a new packet is returned and {@code packet}
     * released.
     *
     * @throws ProtocolException when the packet is not an OK packet or is truncated ({@code packet} not released)
     */
    public static ByteBuf withoutSessionState(ByteBuf packet) {
        int first = Packets.firstByte(packet);
        if (first != 0x00 && first != 0xfe) {
            throw new ProtocolException("not an OK packet: first byte 0x" + Integer.toHexString(first));
        }
        int payload = packet.readerIndex() + Packets.HEADER_SIZE;
        ByteBuf p = packet.slice(payload, Packets.payloadLength(packet));
        ByteBuf out = null;
        try {
            p.skipBytes(1);
            LengthEncoded.readInt(p); // affected rows
            LengthEncoded.readInt(p); // last insert id
            int statusAt = p.readerIndex();
            int status = p.readUnsignedShortLE();
            p.skipBytes(2); // warnings
            if ((status & ServerStatusFlag.SESSION_STATE_CHANGED) == 0) {
                return packet;
            }
            int fixed = p.readerIndex();
            long info = p.isReadable() ? LengthEncoded.readInt(p) : 0;
            if (info < 0 || info > p.readableBytes()) {
                throw new ProtocolException("info text of " + info + " bytes, " + p.readableBytes() + " left");
            }
            // the info text with its length prefix, or nothing when it is empty
            int keep = info == 0 ? fixed : p.readerIndex() + (int) info;
            out = packet.alloc().buffer(Packets.HEADER_SIZE + keep);
            out.writeMediumLE(keep).writeByte(Packets.sequence(packet));
            out.writeBytes(p, 0, keep);
            out.setShortLE(Packets.HEADER_SIZE + statusAt, status & ~ServerStatusFlag.SESSION_STATE_CHANGED);
        } catch (IndexOutOfBoundsException e) {
            if (out != null) {
                out.release();
            }
            throw new ProtocolException("truncated OK packet: " + e.getMessage());
        }
        packet.release();
        return out;
    }

    private static SessionChanges entries(ByteBuf block) {
        Map<String, String> variables = new LinkedHashMap<>();
        String schema = null;
        String gtids = null;
        String characteristics = null;
        String state = null;
        while (block.isReadable()) {
            int type = block.readUnsignedByte();
            long length = LengthEncoded.readInt(block);
            if (length < 0 || length > block.readableBytes()) {
                throw new ProtocolException("session state entry of type " + type + " with " + length
                        + " bytes, " + block.readableBytes() + " left");
            }
            ByteBuf data = block.readSlice((int) length);
            switch (type) {
                case SYSTEM_VARIABLES -> {
                    String name = LengthEncoded.readString(data);
                    variables.put(name, LengthEncoded.readString(data));
                }
                case SCHEMA -> schema = LengthEncoded.readString(data);
                case GTIDS -> {
                    data.skipBytes(1); // encoding specification: 0, a GTID set as text
                    gtids = LengthEncoded.readString(data);
                }
                case TRANSACTION_CHARACTERISTICS -> characteristics = LengthEncoded.readString(data);
                case TRANSACTION_STATE -> state = LengthEncoded.readString(data);
                default -> {
                    // STATE_CHANGE and types of later servers: nothing to learn
                }
            }
        }
        return new SessionChanges(variables, schema, gtids, characteristics, state);
    }

    private static void skipLengthEncoded(ByteBuf p) {
        long n = LengthEncoded.readInt(p);
        if (n > 0) {
            p.skipBytes((int) n);
        }
    }

}
