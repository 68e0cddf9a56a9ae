package dev.sluice.server.config;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The parameters of a {@code type=server} section: one backend endpoint (reference §2.3 and §3.3). */
public final class ServerParams {
    public static final Param<String> ADDRESS = Param.string("address", "",
            "Host name or IP address of the backend (exactly one of address and socket).");
    public static final Param<Long> PORT = Param.count("port", 3306,
            "TCP port of the backend.").range(1, 65535);
    public static final Param<String> SOCKET = Param.path("socket", "",
            "Unix socket path of the backend, instead of address and port.");
    public static final Param<String> PROTOCOL = Param.string("protocol", "mariadbbackend",
            "Backend protocol module (deprecated in MaxScale; only mariadbbackend exists).")
            .notSupported("mariadbbackend is the only backend protocol", "mariadbbackend", "MariaDBBackend");
    public static final Param<String> AUTHENTICATOR = Param.string("authenticator", "",
            "Backend authenticator (deprecated in MaxScale and ignored).")
            .notSupported("backends are authenticated with mysql_native_password only", "", "mariadbbackendauth", "MySQLBackendAuth");
    public static final Param<Long> PERSISTPOOLMAX = Param.count("persistpoolmax", 0,
            "Idle backend connections kept for reuse, shared equally between the routing workers.").modifiable();
    public static final Param<Duration> PERSISTMAXTIME = Param.duration("persistmaxtime", Duration.ZERO,
            "How long an idle pooled connection may be kept before it is closed.").modifiable();
    public static final Param<Long> MAX_ROUTING_CONNECTIONS = Param.count("max_routing_connections", 0,
            "Maximum routing connections to this server, pooled ones included; 0 means no limit.").modifiable()
            .notSupported("limiting routing connections is not implemented yet", "0");
    public static final Param<Boolean> PROXY_PROTOCOL = Param.bool("proxy_protocol", false,
            "Send a PROXY protocol v1 header with the real client address when connecting.").modifiable()
            .notSupported("sending a PROXY protocol header is not implemented", "false");
    public static final Param<String> RANK = Param.enumeration("rank", "primary", List.of("primary", "secondary"),
            "Routing preference: secondary servers are used only when no primary one is available.").modifiable();
    public static final Param<Long> PRIORITY = Param.integer("priority", 0,
            "Master election priority for galeramon; lower positive values win, 0 or less never.").modifiable();
    public static final Param<String> MONITORUSER = Param.string("monitoruser", "",
            "Monitor user for this server, overriding the monitor's user.").modifiable();
    public static final Param<String> MONITORPW = Param.password("monitorpw", "",
            "Password of monitoruser.").modifiable();
    public static final Param<Long> EXTRA_PORT = Param.count("extra_port", 0,
            "Alternative (extra_port) port used by monitors and user loading; 0 means none.")
            .range(0, 65535).modifiable()
            .notSupported("extra_port is not used by monitors or user loading yet", "0");
    public static final Param<String> PRIVATE_ADDRESS = Param.string("private_address", "",
            "Address other servers use to replicate from this one (mariadbmon).").modifiable();
    public static final Param<String> DISK_SPACE_THRESHOLD = Param.string("disk_space_threshold", "",
            "Disk usage limits as path:percent pairs; a server above one gets the Disk Space Exhausted state.")
            .modifiable();
    public static final Param<String> REPLICATION_CUSTOM_OPTIONS = Param.string("replication_custom_options", "",
            "Extra options added to CHANGE MASTER TO when a monitor points a replica at this server.")
            .modifiable()
            .notSupported("set replication_custom_options on the monitor instead");
    public static final Param<Boolean> SSL = TlsParams.SSL;
    public static final Param<String> SSL_CERT = TlsParams.SSL_CERT;
    public static final Param<String> SSL_KEY = TlsParams.SSL_KEY;
    public static final Param<String> SSL_CA = TlsParams.SSL_CA;
    public static final Param<String> SSL_VERSION = TlsParams.SSL_VERSION;
    public static final Param<String> SSL_CIPHER = TlsParams.SSL_CIPHER;
    public static final Param<Long> SSL_CERT_VERIFY_DEPTH = TlsParams.SSL_CERT_VERIFY_DEPTH;
    public static final Param<Boolean> SSL_VERIFY_PEER_CERTIFICATE = TlsParams.SSL_VERIFY_PEER_CERTIFICATE;
    public static final Param<Boolean> SSL_VERIFY_PEER_HOST = TlsParams.SSL_VERIFY_PEER_HOST;

    public static final ParamSpec SPEC = spec();

    private static ParamSpec spec() {
        List<Param<?>> all = new ArrayList<>(List.of(ADDRESS, PORT, SOCKET, PROTOCOL, AUTHENTICATOR, PERSISTPOOLMAX,
                PERSISTMAXTIME, MAX_ROUTING_CONNECTIONS, PROXY_PROTOCOL, RANK, PRIORITY, MONITORUSER, MONITORPW,
                EXTRA_PORT, PRIVATE_ADDRESS, DISK_SPACE_THRESHOLD, REPLICATION_CUSTOM_OPTIONS));
        all.addAll(TlsParams.COMMON);
        return ParamSpec.of(all);
    }

    private ServerParams() {
    }
}
