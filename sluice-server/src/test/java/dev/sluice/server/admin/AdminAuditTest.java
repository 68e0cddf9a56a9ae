package dev.sluice.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import java.net.InetSocketAddress;
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

/**
 * {@code admin_audit} (a CSV line per request, methods excluded by {@code admin_audit_exclude_methods},
 * passwords masked, switched at runtime) and {@code admin_readwrite_hosts}/{@code admin_readonly_hosts}.
 */
class AdminAuditTest {
    @TempDir
    Path dir;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private SluiceServer start(String globals) throws Exception {
        String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nadmin_port=" + AdminServerTest.freePort()
                + "\ndatadir=" + dir + "\n" + globals + "\n[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n"
                + "[Svc]\ntype=service\nrouter=fakerouter\nservers=db1\nuser=u\npassword=secret\nfake_count=3\n";
        return SluiceServer.start(ConfigLoader.parse(cnf, "test.cnf",
                ModuleRegistry.of(List.of(AdminServerTest.FAKE_ROUTER))));
    }

    static HttpResponse<String> send(SluiceServer sluice, String method, String path, String user, String password,
                                     String body) throws Exception {
        return HTTP.send(request(sluice, method, path, user, password, body), HttpResponse.BodyHandlers.ofString());
    }

    /** As admin/mariadb, without waiting for the answer. */
    static java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(SluiceServer sluice, String method,
                                                                              String path) {
        return HTTP.sendAsync(request(sluice, method, path, "admin", "mariadb", null),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(SluiceServer sluice, String method, String path, String user, String password,
                                       String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.adminPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8))).build();
    }

    private static List<String> linesOnceThere(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= count) {
                    return lines;
                }
            }
            Thread.sleep(50);
        }
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void everyRequestButExcludedMethodsIsWrittenWithPasswordsMaskedAndAuditingCanBeSwitchedAtRuntime()
            throws Exception {
        Path audit = dir.resolve("audit.csv");
        SluiceServer sluice = start("admin_audit=true\nadmin_audit_file=" + audit
                + "\nadmin_audit_exclude_methods=GET\n");
        try {
            assertThat(send(sluice, "GET", "/v1/servers", "admin", "mariadb", null).statusCode()).isEqualTo(200);
            assertThat(send(sluice, "POST", "/v1/users/inet", "admin", "mariadb", "{\"data\":{\"id\":\"gail\","
                    + "\"type\":\"inet\",\"attributes\":{\"password\":\"s3cr,et\",\"account\":\"admin\"}}}")
                    .statusCode()).isEqualTo(204);
            assertThat(send(sluice, "PUT", "/v1/servers/db1/set?state=drain", "gail", "s3cr,et", null).statusCode())
                    .isEqualTo(204);
            assertThat(send(sluice, "DELETE", "/v1/users/inet/nobody", "admin", "wrong", null).statusCode())
                    .isEqualTo(401);

            List<String> lines = linesOnceThere(audit, 4);
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).isEqualTo(AdminAudit.HEADER);
            assertThat(lines.get(1)).contains(",admin,127.0.0.1,POST,/v1/users/inet,204,")
                    .contains("*****").doesNotContain("s3cr");
            assertThat(lines.get(2)).contains(",gail,127.0.0.1,PUT,/v1/servers/db1/set?state=drain,204,");
            assertThat(lines.get(3)).as("no user for a refused login")
                    .contains("Z,,127.0.0.1,DELETE,/v1/users/inet/nobody,401,");
            assertThat(String.join("\n", lines)).as("GET is excluded").doesNotContain(",GET,");

            assertThat(send(sluice, "PATCH", "/v1/maxscale", "admin", "mariadb",
                    "{\"data\":{\"attributes\":{\"parameters\":{\"admin_audit\":false}}}}").statusCode())
                    .isEqualTo(204);
            assertThat(send(sluice, "PUT", "/v1/servers/db1/clear?state=drain", "admin", "mariadb", null)
                    .statusCode()).isEqualTo(204);
            List<String> after = linesOnceThere(audit, 5);
            assertThat(after).as("the PATCH that switched it off is the last line").hasSize(5);
            assertThat(after.get(4)).contains(",PATCH,/v1/maxscale,204,");
        } finally {
            sluice.stop(Duration.ZERO);
        }
    }

    @Test
    void adminAccountsFromReadOnlyHostsMayOnlyReadAndOtherHostsAreRefused() throws Exception {
        SluiceServer sluice = start("admin_readwrite_hosts=10.1.2.3,192.168.%\nadmin_readonly_hosts=127.0.0.1\n");
        try {
            assertThat(send(sluice, "GET", "/v1/servers", "admin", "mariadb", null).statusCode()).isEqualTo(200);
            HttpResponse<String> change = send(sluice, "PUT", "/v1/servers/db1/set?state=drain", "admin", "mariadb",
                    null);
            assertThat(change.statusCode()).isEqualTo(403);
            assertThat(change.body()).contains("may only read from 127.0.0.1").contains("admin_readwrite_hosts");
        } finally {
            sluice.stop(Duration.ZERO);
        }
        AdminHosts hosts = new AdminHosts("10.1.2.3,192.168.0.0/255.255.0.0", "10.%");
        AdminUsers.Principal admin = new AdminUsers.Principal("a", AdminUsers.ADMIN);
        AdminUsers.Principal basic = new AdminUsers.Principal("b", AdminUsers.BASIC);
        assertThat(hosts.restrict(admin, new InetSocketAddress("192.168.7.7", 1))).isSameAs(admin);
        assertThat(hosts.restrict(admin, new InetSocketAddress("10.9.9.9", 1)).mayWrite()).isFalse();
        assertThat(hosts.restrict(admin, new InetSocketAddress("172.16.0.1", 1))).isNull();
        assertThat(hosts.restrict(basic, new InetSocketAddress("10.9.9.9", 1))).isSameAs(basic);
        assertThat(hosts.restrict(basic, new InetSocketAddress("192.168.7.7", 1))).as("not a read-only host").isNull();
    }
}
