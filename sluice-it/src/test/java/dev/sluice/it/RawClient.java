package dev.sluice.it;

import dev.sluice.protocol.Capability;
import dev.sluice.protocol.auth.NativePassword;
import dev.sluice.protocol.message.client.HandshakeResponse;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.protocol.message.server.HandshakeV10;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A tiny blocking MariaDB client on a plain socket, for what no driver sends (COM_FIELD_LIST,
 * COM_STATISTICS, unknown command bytes) and for malformed input. Packets are payload byte arrays; the
 * header is added and stripped here.
 */
final class RawClient implements AutoCloseable {
    static final long CAPABILITIES = Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION | Capability.PLUGIN_AUTH
            | Capability.TRANSACTIONS | Capability.MULTI_RESULTS | Capability.CONNECT_WITH_DB
            | Capability.LONG_FLAG | Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA;

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    int lastSequence;
    HandshakeV10 greeting;
    boolean deprecateEof;
    boolean sessionTrack;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.out = socket.getOutputStream();
    }

    static RawClient open(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(15_000);
        s.setTcpNoDelay(true);
        return new RawClient(s);
    }

    /** Reads the server's greeting (the proxy's handshake v10). */
    HandshakeV10 readGreeting() throws IOException {
        byte[] payload = readPacket();
        ByteBuf buf = Unpooled.buffer(payload.length + 4);
        buf.writeMediumLE(payload.length).writeByte(lastSequence).writeBytes(payload);
        try {
            greeting = HandshakeV10.decode(buf);
        } finally {
            buf.release();
        }
        return greeting;
    }

    /** Logs in with mysql_native_password; returns the first payload of the answer (OK or ERR). */
    byte[] login(String user, String password, String database, long capabilities) throws IOException {
        readGreeting();
        byte[] token = NativePassword.token(greeting.scramble(), password.getBytes(StandardCharsets.UTF_8));
        HandshakeResponse r = new HandshakeResponse(capabilities, 1 << 24, 45, user, token, database,
                NativePassword.PLUGIN, new byte[0]);
        deprecateEof = (capabilities & Capability.DEPRECATE_EOF) != 0;
        sessionTrack = (capabilities & Capability.SESSION_TRACK) != 0;
        ByteBuf buf = r.encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 1);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            writeRaw(bytes);
        } finally {
            buf.release();
        }
        return readPacket();
    }

    /**
     * Sends COM_CHANGE_USER with a mysql_native_password token for the greeting's scramble, collation 45; returns
     * the first packet of the answer.
     */
    byte[] changeUser(String user, String password, String database) throws IOException {
        byte[] token = NativePassword.token(greeting.scramble(), password.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(dev.sluice.protocol.Command.COM_CHANGE_USER);
        p.writeBytes((user + "\0").getBytes(StandardCharsets.UTF_8));
        p.write(token.length);
        p.writeBytes(token);
        p.writeBytes((database + "\0").getBytes(StandardCharsets.UTF_8));
        p.write(45);
        p.write(0);
        p.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.UTF_8));
        writePacket(0, p.toByteArray());
        return readPacket();
    }

    static RawClient loggedIn(int port, long capabilities) throws IOException {
        RawClient c = open(port);
        byte[] answer = c.login("app", "apppwd", "test", capabilities);
        if (answer[0] != 0) {
            c.close();
            throw new IOException("login failed: " + describe(answer));
        }
        return c;
    }

    void writePacket(int sequence, byte[] payload) throws IOException {
        byte[] p = new byte[payload.length + 4];
        p[0] = (byte) payload.length;
        p[1] = (byte) (payload.length >> 8);
        p[2] = (byte) (payload.length >> 16);
        p[3] = (byte) sequence;
        System.arraycopy(payload, 0, p, 4, payload.length);
        writeRaw(p);
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a command (sequence 0) and returns the first packet of the reply. */
    byte[] command(int command, String argument) throws IOException {
        byte[] arg = argument.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[arg.length + 1];
        payload[0] = (byte) command;
        System.arraycopy(arg, 0, payload, 1, arg.length);
        writePacket(0, payload);
        return readPacket();
    }

    /** The next byte from the peer, or -1 at the end of the stream (subject to the socket timeout). */
    int readByte() throws IOException {
        return in.read();
    }

    byte[] readPacket() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        int b2 = in.readUnsignedByte();
        lastSequence = in.readUnsignedByte();
        byte[] payload = new byte[b0 | b1 << 8 | b2 << 16];
        in.readFully(payload);
        return payload;
    }

    /** Reads packets until one starting with 0xFE (EOF) or 0xFF (ERR) of less than 9 bytes; returns all. */
    java.util.List<byte[]> readUntilEof() throws IOException {
        java.util.List<byte[]> all = new java.util.ArrayList<>();
        while (true) {
            byte[] p = readPacket();
            all.add(p);
            if (p.length > 0 && ((p[0] & 0xff) == 0xff || ((p[0] & 0xff) == 0xfe && p.length < 9))) {
                return all;
            }
        }
    }

    /**
     * Reads the rest of a text result set whose column-count packet was {@code columnCount}: the column
     * definitions, the EOF unless CLIENT_DEPRECATE_EOF, the rows and the terminator. Returns the rows; the
     * terminator is left in {@link #lastTerminator}.
     */
    java.util.List<byte[]> readRows(byte[] columnCount) throws IOException {
        int columns = columnCount[0] & 0xff;
        for (int i = 0; i < columns; i++) {
            readPacket();
        }
        if (!deprecateEof) {
            readPacket();
        }
        java.util.List<byte[]> rows = new java.util.ArrayList<>();
        while (true) {
            byte[] p = readPacket();
            if (p.length > 0 && ((p[0] & 0xff) == 0xff || ((p[0] & 0xff) == 0xfe && p.length < 0xffffff))) {
                lastTerminator = p;
                return rows;
            }
            rows.add(p);
        }
    }

    byte[] lastTerminator;

    /**
     * One whole reply, read to its end by following SERVER_MORE_RESULTS_EXISTS: the rows of each result set
     * (text or binary) and the packet that ended it (an OK, the terminator of the last result set, or an ERR).
     */
    record Reply(java.util.List<java.util.List<byte[]>> resultSets, byte[] last) {
        boolean failed() {
            return isErr(last);
        }
    }

    /**
     * Reads the reply to the command just sent, every result of a multi-result reply (a CALL, a
     * multi-statement) included. Each read is bounded by the socket timeout: a reply that does not end fails.
     */
    Reply readReply() throws IOException {
        java.util.List<java.util.List<byte[]>> sets = new java.util.ArrayList<>();
        while (true) {
            byte[] first = readPacket();
            int status;
            byte[] last;
            if (isErr(first)) {
                return new Reply(sets, first);
            } else if (isOk(first)) {
                last = first;
                status = okStatus(first);
            } else {
                sets.add(readRows(first));
                last = lastTerminator;
                if (isErr(last)) {
                    return new Reply(sets, last);
                }
                status = lastTerminatorStatus();
            }
            if ((status & dev.sluice.protocol.ServerStatusFlag.MORE_RESULTS_EXISTS) == 0) {
                return new Reply(sets, last);
            }
        }
    }

    /** The status flags of an OK payload (header 0x00, affected rows, last insert id, status). */
    static int okStatus(byte[] ok) {
        int i = 1;
        i += lenencSize(ok[i]);
        i += lenencSize(ok[i]);
        return (ok[i] & 0xff) | (ok[i + 1] & 0xff) << 8;
    }

    /**
     * COM_STMT_PREPARE of a statement without parameters; reads the whole prepare reply and returns the
     * statement id, or throws with the server's error.
     */
    int prepare(String sql) throws IOException {
        byte[] first = command(dev.sluice.protocol.Command.COM_STMT_PREPARE, sql);
        if (!isOk(first)) {
            throw new IOException("prepare failed: " + describe(first));
        }
        int id = (first[1] & 0xff) | (first[2] & 0xff) << 8 | (first[3] & 0xff) << 16 | (first[4] & 0xff) << 24;
        int columns = (first[5] & 0xff) | (first[6] & 0xff) << 8;
        int params = (first[7] & 0xff) | (first[8] & 0xff) << 8;
        for (int block : new int[] {params, columns}) {
            for (int i = 0; i < block; i++) {
                readPacket();
            }
            if (block > 0 && !deprecateEof) {
                readPacket();
            }
        }
        return id;
    }

    /** COM_STMT_EXECUTE of a statement without parameters, with the cursor {@code flags} byte (0: no cursor). */
    void execute(int statementId, int flags) throws IOException {
        byte[] p = {dev.sluice.protocol.Command.COM_STMT_EXECUTE, (byte) statementId, (byte) (statementId >> 8),
                (byte) (statementId >> 16), (byte) (statementId >> 24), (byte) flags, 1, 0, 0, 0};
        writePacket(0, p);
    }

    /** The status flags of the last terminator (EOF, or OK with the 0xFE header). */
    int lastTerminatorStatus() {
        byte[] t = lastTerminator;
        if (!deprecateEof) {
            return (t[3] & 0xff) | (t[4] & 0xff) << 8;
        }
        int i = 1;
        i += lenencSize(t[i]);
        i += lenencSize(t[i]);
        return (t[i] & 0xff) | (t[i + 1] & 0xff) << 8;
    }

    private static int lenencSize(byte first) {
        int b = first & 0xff;
        return b < 0xfb ? 1 : b == 0xfc ? 3 : b == 0xfd ? 4 : 9;
    }

    /**
     * Reads whatever the peer still sends until it closes the connection; returns those bytes, or throws
     * when the connection is still open after the socket timeout.
     */
    byte[] readUntilClosed() throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                rest.write(buf, 0, n);
            }
        } catch (SocketException e) {
            // connection reset: closed as well
        } catch (SocketTimeoutException e) {
            throw new IOException("the proxy did not close the connection; received " + rest.size() + " bytes", e);
        }
        return rest.toByteArray();
    }

    static boolean isOk(byte[] payload) {
        return payload.length > 0 && payload[0] == 0;
    }

    static boolean isErr(byte[] payload) {
        return payload.length > 0 && (payload[0] & 0xff) == 0xff;
    }

    /** Decodes an ERR payload. */
    static ErrPacket err(byte[] payload) {
        ByteBuf buf = Unpooled.buffer(payload.length + 4);
        buf.writeMediumLE(payload.length).writeByte(0).writeBytes(payload);
        try {
            return ErrPacket.decode(buf);
        } finally {
            buf.release();
        }
    }

    /** An ERR found in raw bytes holding one whole packet (header included), or null. */
    static ErrPacket errIn(byte[] packetBytes) {
        if (packetBytes.length < 5 || (packetBytes[4] & 0xff) != 0xff) {
            return null;
        }
        byte[] payload = java.util.Arrays.copyOfRange(packetBytes, 4, packetBytes.length);
        return err(payload);
    }

    static String describe(byte[] payload) {
        return isErr(payload) ? err(payload).toString() : "packet 0x" + Integer.toHexString(payload[0] & 0xff);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
