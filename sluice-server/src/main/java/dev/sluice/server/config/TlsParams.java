package dev.sluice.server.config;

import dev.sluice.api.config.Param;
import java.util.List;
import java.util.Map;

/**
 * The TLS parameters shared by servers (TLS to the backend) and listeners (TLS from clients), as MaxScale
 * names them. {@link ServerParams} and {@link ListenerParams} re-export these constants under their own names.
 */
public final class TlsParams {
    public static final Param<Boolean> SSL = Param.bool("ssl", false,
            "Enable TLS: towards the backend for a server, for clients of a listener.");
    public static final Param<String> SSL_CERT = Param.path("ssl_cert", "",
            "TLS certificate (PEM): the listener's own, or the client certificate sent to a backend.");
    public static final Param<String> SSL_KEY = Param.path("ssl_key", "",
            "TLS private key (PEM) that belongs to ssl_cert.");
    public static final Param<String> SSL_CA = Param.path("ssl_ca", "",
            "CA certificate bundle (PEM) used to verify the peer's certificate.").alias("ssl_ca_cert");
    public static final Param<String> SSL_VERSION = sslVersion("ssl_version",
            "Minimum TLS protocol version; MAX allows the newest the JVM supports.");
    public static final Param<String> SSL_CIPHER = Param.string("ssl_cipher", "",
            "Allowed TLS cipher suites (OpenSSL cipher list syntax); empty means the JVM's defaults.")
            .notSupported("choosing TLS cipher suites is not implemented yet (the JVM's defaults are used)", "");
    public static final Param<Long> SSL_CERT_VERIFY_DEPTH = Param.count("ssl_cert_verify_depth", 9,
            "Maximum length of the certificate chain accepted from the peer.")
            .notSupported("the certificate chain depth is not limited");
    public static final Param<Boolean> SSL_VERIFY_PEER_CERTIFICATE = Param.bool("ssl_verify_peer_certificate",
            false, "Require and verify the peer's certificate against ssl_ca.");
    public static final Param<Boolean> SSL_VERIFY_PEER_HOST = Param.bool("ssl_verify_peer_host", false,
            "Check that the peer's certificate names the host it is connected to.")
            .notSupported("the peer's host name is not checked against its certificate", "false");
    /** Listeners only. */
    public static final Param<String> SSL_CRL = Param.path("ssl_crl", "",
            "Certificate revocation list (PEM) checked against client certificates.")
            .notSupported("certificate revocation lists are not implemented yet");

    /** The TLS parameters servers and listeners both accept (not ssl_crl). */
    public static final List<Param<?>> COMMON = List.of(SSL, SSL_CERT, SSL_KEY, SSL_CA, SSL_VERSION, SSL_CIPHER,
            SSL_CERT_VERIFY_DEPTH, SSL_VERIFY_PEER_CERTIFICATE, SSL_VERIFY_PEER_HOST);

    private TlsParams() {
    }

    /** A TLS version choice, MAX or TLSv10 to TLSv13, also spelt TLSv1.0 to TLSv1.3 (MaxScale 24.02.2+). */
    static Param<String> sslVersion(String name, String description) {
        return Param.enumeration(name, "MAX", List.of("MAX", "TLSv10", "TLSv11", "TLSv12", "TLSv13"), description)
                .valueAliases(Map.of("TLSv1.0", "TLSv10", "TLSv1.1", "TLSv11", "TLSv1.2", "TLSv12",
                        "TLSv1.3", "TLSv13"));
    }
}
