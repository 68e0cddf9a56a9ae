package dev.sluice.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.PersistedChanges;
import dev.sluice.server.core.ServerRuntime;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runtime changes written under persistdir survive a restart; a destroyed object's file goes away. */
class PersistedChangesTest {
    static final ModuleRegistry MODULES = ModuleRegistry.of(List.of(ObjectMutationsTest.ROUTER,
            ObjectMutationsTest.MONITOR));
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private SluiceServer start(String cnf) throws Exception {
        return SluiceServer.start(PersistedChanges.load(ConfigLoader.parse(cnf, "test.cnf", MODULES), MODULES));
    }

    private static void expect(SluiceServer s, int status, String method, String path, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.adminPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:mariadb".getBytes(StandardCharsets.UTF_8))).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    }

    @Test
    void stoppingClosesKeepAliveAdminConnections() throws Exception {
        // A keep-alive admin connection left open by a stopped instance swallowed the next request a pooled
        // HTTP client sent to a new instance on the same port: the request hung forever.
        String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nadmin_port=" + AdminServerTest.freePort()
                + "\ndatadir=" + dir + "\n\n[db1]\ntype=server\naddress=127.0.0.1\nport=1\n";
        SluiceServer s = start(cnf);
        try (Socket socket = new Socket("127.0.0.1", s.adminPort())) {
            socket.setSoTimeout(10_000);
            String auth = Base64.getEncoder().encodeToString("admin:mariadb".getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(("GET /v1/maxscale HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n"
                    + "Authorization: Basic " + auth + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[65536];
            assertThat(in.read(buf)).as("the response").isPositive();
            s.stop(Duration.ZERO);
            socket.setSoTimeout(2_000); // closed by stop() itself, not some time later
            int n;
            do {
                n = in.read(buf); // the rest of the response, then the end of the stream
            } while (n > 0);
            assertThat(n).as("end of stream once the instance stopped").isEqualTo(-1);
        } finally {
            s.stop(Duration.ZERO);
        }
    }

    @Test
    void runtimeChangesOverrideTheStaticFileAtTheNextStart() throws Exception {
        Path persist = dir.resolve("persisted");
        String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nadmin_port=" + AdminServerTest.freePort()
                + "\ndatadir=" + dir + "\npersistdir=" + persist + "\n\n"
                + "[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n"
                + "[Svc]\ntype=service\nrouter=fakerouter\nservers=db1\nuser=u\npassword=secret\n\n"
                + "[Svc-Listener]\ntype=listener\nservice=Svc\nport=0\naddress=127.0.0.1\n";
        SluiceServer first = start(cnf);
        try {
            expect(first, 204, "POST", "/v1/servers", ObjectMutationsTest.server("srvP", 3307, null));
            expect(first, 204, "POST", "/v1/services", "{\"data\":{\"id\":\"SvcP\",\"attributes\":{\"router\":"
                    + "\"fakerouter\",\"parameters\":{\"user\":\"u\",\"password\":\"p\"}},\"relationships\":"
                    + "{\"servers\":{\"data\":[{\"id\":\"srvP\",\"type\":\"servers\"}]}}}}");
            expect(first, 204, "POST", "/v1/services/SvcP/listeners", "{\"data\":{\"id\":\"LP\",\"attributes\":"
                    + "{\"parameters\":{\"port\":0,\"address\":\"127.0.0.1\"}}}}");
            expect(first, 204, "PATCH", "/v1/services/Svc",
                    "{\"data\":{\"attributes\":{\"parameters\":{\"fake_flag\":false}}}}");
        } finally {
            first.stop(Duration.ZERO);
        }
        try (var files = Files.list(persist)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("srvP.cnf", "SvcP.cnf", "LP.cnf", "Svc.cnf");
        }
        assertThat(Files.readString(persist.resolve("SvcP.cnf"))).contains("[SvcP]\ntype=service")
                .contains("servers=srvP");

        SluiceServer second = start(cnf);
        try {
            assertThat(second.server("srvP").port()).isEqualTo(3307);
            assertThat(second.service("SvcP").servers()).extracting(ServerRuntime::name).containsExactly("srvP");
            assertThat(second.listener("LP").isListening()).isTrue();
            assertThat(second.service("Svc").params().asMap()).containsEntry("fake_flag", false);
            expect(second, 204, "DELETE", "/v1/services/SvcP?force=yes", null);
            assertThat(persist.resolve("SvcP.cnf")).doesNotExist();
            assertThat(persist.resolve("LP.cnf")).as("destroyed with its service").doesNotExist();
            assertThat(persist.resolve("srvP.cnf")).exists();
        } finally {
            second.stop(Duration.ZERO);
        }
    }
}
