package dev.sluice.server.config;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The parameters of a {@code type=listener} section: a port or socket feeding one service (§2.5, §3.3). */
public final class ListenerParams {
    public static final Param<String> SERVICE = Param.target("service",
            "Service the listener's clients are routed by.").mandatory();
    public static final Param<String> PROTOCOL = Param.enumeration("protocol", "mariadb", List.of("mariadb"),
                    "Client protocol; MaxScale's names MariaDBClient, mariadbprotocol and mysqlclient are accepted.")
            .valueAliases(Map.of("MariaDBClient", "mariadb", "mariadbprotocol", "mariadb",
                    "mysqlclient", "mariadb", "MySQLClient", "mariadb"));
    public static final Param<String> ADDRESS = Param.string("address", "::",
            "Local address to listen on; :: means all IPv4 and IPv6 interfaces.");
    public static final Param<Long> PORT = Param.count("port", 0,
            "TCP port to listen on (exactly one of port and socket).").range(0, 65535);
    public static final Param<String> SOCKET = Param.path("socket", "",
            "Unix socket path to listen on, instead of a TCP port.");
    public static final Param<String> AUTHENTICATOR = Param.string("authenticator", "",
            "Comma-separated authenticator modules, tried in order for each account (an unknown one is refused "
                    + "with the list of installed ones); empty means mariadbauth (mysql_native_password).");
    public static final Param<String> AUTHENTICATOR_OPTIONS = Param.string("authenticator_options", "",
            "Comma-separated key=value options passed to every authenticator of the listener; an option a "
                    + "module does not support is refused at load.");
    public static final Param<String> SQL_MODE = Param.enumeration("sql_mode", "default",
            List.of("default", "oracle"), "SQL mode the classifier assumes for this listener's clients.")
            .modifiable();
    public static final Param<String> PROXY_PROTOCOL_NETWORKS = Param.string("proxy_protocol_networks", "",
            "Networks (address/mask list, or *) allowed to send a PROXY protocol header.").modifiable();
    public static final Param<String> CONNECTION_INIT_SQL_FILE = Param.path("connection_init_sql_file", "",
            "File of SQL statements run on every new backend connection of a session.").modifiable();
    public static final Param<String> USER_MAPPING_FILE = Param.path("user_mapping_file", "",
            "JSON file mapping client users to backend users and credentials.");
    public static final Param<String> CONNECTION_METADATA = Param.string("connection_metadata",
            "character_set_client=auto,character_set_connection=auto,character_set_results=auto,"
                    + "max_allowed_packet=auto,system_time_zone=auto,time_zone=auto,tx_isolation=auto,"
                    + "maxscale=auto",
            "Metadata variables sent to clients that support it; auto means read from a backend.").modifiable();
    public static final Param<Boolean> MARIADBPROTOCOL_ALLOW_REPLICATION = Param.bool(
            "mariadbprotocol.allow_replication", true, "Allow clients to start binlog replication through "
                    + "this listener.").modifiable();
    public static final Param<Boolean> SSL = TlsParams.SSL;
    public static final Param<String> SSL_CERT = TlsParams.SSL_CERT;
    public static final Param<String> SSL_KEY = TlsParams.SSL_KEY;
    public static final Param<String> SSL_CA = TlsParams.SSL_CA;
    public static final Param<String> SSL_VERSION = TlsParams.SSL_VERSION;
    public static final Param<String> SSL_CIPHER = TlsParams.SSL_CIPHER;
    public static final Param<Long> SSL_CERT_VERIFY_DEPTH = TlsParams.SSL_CERT_VERIFY_DEPTH;
    public static final Param<Boolean> SSL_VERIFY_PEER_CERTIFICATE = TlsParams.SSL_VERIFY_PEER_CERTIFICATE;
    public static final Param<Boolean> SSL_VERIFY_PEER_HOST = TlsParams.SSL_VERIFY_PEER_HOST;
    public static final Param<String> SSL_CRL = TlsParams.SSL_CRL;

    public static final ParamSpec SPEC = spec();

    private static ParamSpec spec() {
        List<Param<?>> all = new ArrayList<>(List.of(SERVICE, PROTOCOL, ADDRESS, PORT, SOCKET, AUTHENTICATOR,
                AUTHENTICATOR_OPTIONS, SQL_MODE, PROXY_PROTOCOL_NETWORKS, CONNECTION_INIT_SQL_FILE,
                USER_MAPPING_FILE, CONNECTION_METADATA, MARIADBPROTOCOL_ALLOW_REPLICATION));
        all.addAll(TlsParams.COMMON);
        all.add(SSL_CRL);
        return ParamSpec.of(all);
    }

    private ListenerParams() {
    }
}
