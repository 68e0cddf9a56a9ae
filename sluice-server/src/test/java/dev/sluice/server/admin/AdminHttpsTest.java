package dev.sluice.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.monitor.CommandResult;
import dev.sluice.api.monitor.Monitor;
import dev.sluice.api.monitor.MonitorFactory;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS (admin_ssl_cert/key, and admin_ssl_ca requiring client certificates), and module
 * commands that block without blocking the API: a fake monitor's command waits on a latch meanwhile.
 */
class AdminHttpsTest {
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final CountDownLatch ENTERED = new CountDownLatch(1);
    static final Module BLOCKING_MONITOR = new Module("blockmon", List.of(), ModuleKind.MONITOR, "1.0",
            "a monitor whose command blocks", ParamSpec.of(), (MonitorFactory) ctx -> new Monitor() {
                @Override
                public void start() {
                }

                @Override
                public void stop() {
                }

                @Override
                public boolean hasTicked() {
                    return true;
                }

                @Override
                public CommandResult command(String name, List<String> args) {
                    ENTERED.countDown();
                    try {
                        return RELEASE.await(60, TimeUnit.SECONDS) ? CommandResult.ok("released " + args)
                                : CommandResult.error("never released");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return CommandResult.error("interrupted");
                    }
                }

                @Override
                public Map<String, Object> diagnostics() {
                    return Map.of();
                }
            });

    @TempDir
    static Path dir;
    static Path cert;
    static SluiceServer sluice;
    static HttpClient https;

    /** A self-signed certificate for 127.0.0.1 (as an IP subject alternative name) and its key, by openssl. */
    static Path[] certificate(Path where) throws Exception {
        Path c = where.resolve("admin-cert.pem");
        Path k = where.resolve("admin-key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                k.toString(), "-out", c.toString(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1").redirectErrorStream(true)
                .redirectOutput(where.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(Files.readString(
                where.resolve("openssl.log"))).isTrue();
        return new Path[] {c, k};
    }

    static SluiceServer start(Path data, String extra) throws Exception {
        String cnf = "[maxscale]\nthreads=1\nusers_refresh_time=0s\nadmin_port=" + AdminServerTest.freePort()
                + "\ndatadir=" + data + "\n" + extra + "\n[db1]\ntype=server\naddress=127.0.0.1\nport=1\n\n"
                + "[Mon]\ntype=monitor\nmodule=blockmon\nservers=db1\nuser=u\npassword=p\n";
        return SluiceServer.start(ConfigLoader.parse(cnf, "test.cnf", ModuleRegistry.of(List.of(BLOCKING_MONITOR))));
    }

    static HttpClient trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("admin", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @BeforeAll
    static void startHttps() throws Exception {
        Path[] ck = certificate(dir);
        cert = ck[0];
        sluice = start(dir.resolve("data"), "admin_ssl_cert=" + ck[0] + "\nadmin_ssl_key=" + ck[1] + "\n");
        https = trusting(cert);
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        if (sluice != null) {
            sluice.stop(Duration.ZERO);
        }
    }

    static HttpRequest request(String scheme, SluiceServer s, String method, String path) {
        return HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + s.adminPort() + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", AdminHttpTest.basic("admin", "mariadb"))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
    }

    @Test
    void servesHttpsWithTheConfiguredCertificateAndLinksSayHttps() throws Exception {
        HttpResponse<String> r = https.send(request("https", sluice, "GET", "/v1/maxscale"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JsonApi.MAPPER.readTree(r.body()).at("/links/self").asText()).startsWith("https://127.0.0.1:");
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> plain.send(request("http", sluice, "GET", "/v1/maxscale"),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> untrusting.send(request("https", sluice, "GET", "/v1/maxscale"),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void aBlockingModuleCommandDoesNotBlockOtherRequests() throws Exception {
        CompletableFuture<HttpResponse<String>> command = https.sendAsync(
                request("https", sluice, "POST", "/v1/maxscale/modules/blockmon/hold?Mon&x"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ENTERED.await(30, TimeUnit.SECONDS)).as("the command started").isTrue();
        long start = System.nanoTime();
        HttpResponse<String> meanwhile = https.send(request("https", sluice, "GET", "/v1/servers/db1"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(meanwhile.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(command).isNotDone();
        RELEASE.countDown();
        HttpResponse<String> done = command.get(60, TimeUnit.SECONDS);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(JsonApi.MAPPER.readTree(done.body()).at("/meta/message").asText()).isEqualTo("released [x]");
    }

    @Test
    void withAdminSslCaAClientWithoutACertificateIsRefused() throws Exception {
        Path data = dir.resolve("ca");
        Files.createDirectories(data);
        Path[] ck = certificate(data);
        try (SluiceServer withCa = start(data.resolve("data"), "admin_ssl_cert=" + ck[0] + "\nadmin_ssl_key=" + ck[1]
                + "\nadmin_ssl_ca=" + ck[0] + "\n")) {
            assertThatThrownBy(() -> trusting(ck[0]).send(request("https", withCa, "GET", "/v1/maxscale"),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }
}
