package dev.sluice.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The client drivers the end-to-end tests run with: MariaDB Connector/J and MySQL Connector/J, each with
 * client-side (text protocol) and server-side (binary protocol) prepared statements. MySQL Connector/J starts
 * with caching_sha2_password, which Sluice switches to mysql_native_password.
 */
enum Client {
    MARIADB_TEXT("jdbc:mariadb", "useServerPrepStmts=false"),
    MARIADB_SERVER_PREPARED("jdbc:mariadb", "useServerPrepStmts=true"),
    MYSQL_TEXT("jdbc:mysql", "useServerPrepStmts=false&sslMode=DISABLED&allowPublicKeyRetrieval=true"),
    MYSQL_SERVER_PREPARED("jdbc:mysql", "useServerPrepStmts=true&sslMode=DISABLED&allowPublicKeyRetrieval=true");

    private final String scheme;
    private final String options;

    Client(String scheme, String options) {
        this.scheme = scheme;
        this.options = options;
    }

    boolean isMySql() {
        return scheme.equals("jdbc:mysql");
    }

    boolean serverPrepared() {
        return options.contains("useServerPrepStmts=true");
    }

    String url(int port, String database, String extraOptions) {
        return SluiceFixture.bounded(scheme + "://127.0.0.1:" + port + "/" + (database == null ? "" : database) + "?"
                + options + "&connectTimeout=10000" + (extraOptions == null || extraOptions.isEmpty() ? "" : "&" + extraOptions));
    }

    Connection connect(int port, String user, String password, String database, String extraOptions)
            throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return DriverManager.getConnection(url(port, database, extraOptions), p);
    }

    /** The connection id the client saw in the handshake: Sluice's session id. */
    static long connectionId(Connection c) throws SQLException {
        if (c.isWrapperFor(org.mariadb.jdbc.Connection.class)) {
            return c.unwrap(org.mariadb.jdbc.Connection.class).getThreadId();
        }
        return c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getId();
    }
}
