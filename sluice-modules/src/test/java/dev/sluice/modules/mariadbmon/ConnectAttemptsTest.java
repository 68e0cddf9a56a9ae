package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.config.ParamValues;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code backend_connect_attempts}: a probe of a server that accepts TCP connections but closes them at once (a
 * real socket on loopback that counts them) tries that many times in one round before the server is down.
 */
class ConnectAttemptsTest {
    private static int attemptsOfOneProbe(long backendConnectAttempts) throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        accepted.incrementAndGet(); // closed without a handshake: the connection fails
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "connect-attempts-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            MariaDbMonitorConfig config = MariaDbMonitorConfig.from(ParamValues.of(Map.of("user", "u", "password",
                    "p", "backend_connect_timeout", Duration.ofSeconds(2), "backend_read_timeout",
                    Duration.ofSeconds(2), "backend_connect_attempts", backendConnectAttempts)));
            try (ServerProbe probe = new ServerProbe(new FakeMonitorContext.FakeServer("db1", "127.0.0.1",
                    listener.getLocalPort()), config)) {
                assertThat(probe.probe().reachable()).isFalse();
            }
        }
        return accepted.get();
    }

    @Test
    void oneAttemptByDefaultAndAsManyAsConfigured() throws Exception {
        assertThat(attemptsOfOneProbe(1)).isEqualTo(1);
        assertThat(attemptsOfOneProbe(3)).isEqualTo(3);
    }
}
