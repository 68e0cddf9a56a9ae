package dev.sluice.server.net;

import dev.sluice.api.config.ParamValues;
import dev.sluice.server.config.TlsParams;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds Netty TLS contexts from the {@code ssl*} parameters of listeners (server side) and servers (client side). */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * For a listener with {@code ssl=true}: certificate and key are mandatory. With
     * {@code ssl_verify_peer_certificate=true} clients must present a certificate signed by {@code ssl_ca} (or, without
     * it, by a CA the JVM trusts); otherwise a client certificate is not asked for.
     */
    public static SslContext forListener(String name, ParamValues values) throws SSLException {
        String cert = values.get(TlsParams.SSL_CERT);
        String key = values.get(TlsParams.SSL_KEY);
        if (cert.isEmpty() || key.isEmpty()) {
            throw new SSLException("listener " + name + ": ssl=true needs ssl_cert and ssl_key");
        }
        SslContextBuilder b = SslContextBuilder.forServer(new File(cert), new File(key));
        String ca = values.get(TlsParams.SSL_CA);
        if (!ca.isEmpty()) {
            b.trustManager(new File(ca));
        }
        if (values.get(TlsParams.SSL_VERIFY_PEER_CERTIFICATE)) {
            b.clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE);
        }
        protocols(b, values.get(TlsParams.SSL_VERSION));
        return b.build();
    }

    /**
     * For the admin REST API ({@code admin_ssl_cert}, {@code admin_ssl_key}, {@code admin_ssl_ca},
     * {@code admin_ssl_version}): HTTPS when certificate and key are set; with a CA, clients must present a
     * certificate it signed.
     */
    public static SslContext forAdmin(String cert, String key, String ca, String version) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(new File(cert), new File(key));
        if (!ca.isEmpty()) {
            b.trustManager(new File(ca)).clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE);
        }
        protocols(b, version);
        return b.build();
    }

    /**
     * For a server with {@code ssl=true}: verifies the server's certificate only with
     * {@code ssl_verify_peer_certificate=true}, against {@code ssl_ca} or, without it, the JVM's trusted CAs.
     */
    public static SslContext forBackend(String name, ParamValues values) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient();
        String ca = values.get(TlsParams.SSL_CA);
        if (values.get(TlsParams.SSL_VERIFY_PEER_CERTIFICATE)) {
            if (!ca.isEmpty()) {
                b.trustManager(new File(ca));
            } // else: the JVM's default trust store, never "trust anything"
        } else {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        String cert = values.get(TlsParams.SSL_CERT);
        String key = values.get(TlsParams.SSL_KEY);
        if (!cert.isEmpty() && !key.isEmpty()) {
            b.keyManager(new File(cert), new File(key));
        }
        protocols(b, values.get(TlsParams.SSL_VERSION));
        return b.build();
    }

    private static void protocols(SslContextBuilder b, String version) {
        String v = version == null ? "MAX" : version.replace(".", "");
        List<String> p = new ArrayList<>();
        switch (v) {
            case "TLSv10" -> p.add("TLSv1");
            case "TLSv11" -> p.add("TLSv1.1");
            case "TLSv12" -> p.add("TLSv1.2");
            case "TLSv13" -> p.add("TLSv1.3");
            default -> {
                p.add("TLSv1.3");
                p.add("TLSv1.2");
            }
        }
        b.protocols(p);
    }
}
