package dev.sluice.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/services/:name/reload} waits for the user accounts to load, which takes as long as the
 * servers make it; meanwhile the admin API answers other requests.
 */
class AdminServiceReloadTest {
    @TempDir
    Path dir;

    @Test
    void aSlowUserAccountReloadDoesNotStallOtherAdminRequests() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) { // accepts, never sends a greeting
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        Socket s = silent.accept();
                        synchronized (accepted) {
                            accepted.add(s);
                        }
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "silent-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nadmin_port=" + AdminServerTest.freePort()
                    + "\ndatadir=" + dir + "\nauth_connect_timeout=3s\n\n[db1]\ntype=server\naddress=127.0.0.1\nport="
                    + silent.getLocalPort()
                    + "\n\n[Svc]\ntype=service\nrouter=fakerouter\nservers=db1\nuser=u\npassword=secret\n"
                    + "fake_count=3\n";
            SluiceServer sluice = SluiceServer.start(ConfigLoader.parse(cnf, "test.cnf",
                    ModuleRegistry.of(List.of(AdminServerTest.FAKE_ROUTER))));
            try {
                long start = System.nanoTime();
                CompletableFuture<HttpResponse<String>> reload = AdminAuditTest.sendAsync(sluice, "POST",
                        "/v1/services/Svc/reload");
                Thread.sleep(300);
                HttpResponse<String> other = AdminAuditTest.sendAsync(sluice, "GET", "/v1/servers/db1").get(10,
                        TimeUnit.SECONDS);
                assertThat(other.statusCode()).isEqualTo(200);
                assertThat(reload).as("the reload still waits for the silent server").isNotDone();
                assertThat(reload.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it did wait")
                        .isGreaterThan(Duration.ofSeconds(1));
            } finally {
                sluice.stop(Duration.ZERO);
            }
        } finally {
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }
}
