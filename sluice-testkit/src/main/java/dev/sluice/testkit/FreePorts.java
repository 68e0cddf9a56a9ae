package dev.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on 127.0.0.1, chosen by the kernel. Another process may take a port between our probe and
 * the server's bind; {@link MariaDbNode} notices the bind failure and asks again.
 */
public final class FreePorts {

    private static final int MYSQL_DEFAULT_PORT = 3306;

    private FreePorts() {
    }

    /** {@code count} distinct free loopback ports, never 3306. */
    public static List<Integer> allocate(int count) {
        List<ServerSocket> held = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            while (ports.size() < count) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket); // held open until all are chosen, so the kernel does not hand one out twice
                if (socket.getLocalPort() != MYSQL_DEFAULT_PORT) {
                    ports.add(socket.getLocalPort());
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free loopback ports", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening probe socket cannot fail in a way that matters
                }
            }
        }
    }

    public static int allocate() {
        return allocate(1).get(0);
    }
}
