package dev.sluice.modules.monitor;

import dev.sluice.api.config.Param;
import dev.sluice.api.server.Server;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens a monitor's JDBC connection to a server. A server's own {@code monitoruser} / {@code monitorpw}
 * replace the monitor's {@code user} / {@code password} for that server (MaxScale's per-server monitor
 * credentials); a server reached by a Unix socket only is connected to through it.
 */
public final class MonitorConnections {

    private static final Param<String> MONITORUSER = Param.string("monitoruser", "",
            "Monitor user for this server.");
    private static final Param<String> MONITORPW = Param.password("monitorpw", "", "Password of monitoruser.");
    private static final org.mariadb.jdbc.Driver DRIVER = new org.mariadb.jdbc.Driver();

    private static final int ER_ACCESS_DENIED_ERROR = 1045;

    private MonitorConnections() {
    }

    /** Whether the server refused the monitor's credentials (a state of its own: {@code Auth Error}). */
    public static boolean isAuthError(SQLException e) {
        return e.getErrorCode() == ER_ACCESS_DENIED_ERROR || "28000".equals(e.getSQLState());
    }

    /** Closes a connection that may already be broken; there is nothing left to release when that fails. */
    public static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection has nothing more to release
            }
        }
    }

    /** The user the monitor logs in to {@code server} with: its {@code monitoruser}, else {@code monitorUser}. */
    public static String user(Server server, String monitorUser) {
        String own = server.params().get(MONITORUSER);
        return own.isEmpty() ? monitorUser : own;
    }

    /** A new connection with the monitor's (or the server's own) credentials and the given timeouts. */
    public static Connection open(Server server, String monitorUser, String monitorPassword, long connectTimeoutMs,
                                  long readTimeoutMs) throws SQLException {
        String own = server.params().get(MONITORUSER);
        Properties props = new Properties();
        props.setProperty("user", own.isEmpty() ? monitorUser : own);
        props.setProperty("password", own.isEmpty() ? monitorPassword : server.params().get(MONITORPW));
        props.setProperty("connectTimeout", Long.toString(connectTimeoutMs));
        props.setProperty("socketTimeout", Long.toString(readTimeoutMs));
        String url;
        if (!server.socket().isEmpty() && server.address().isEmpty()) {
            props.setProperty("localSocket", server.socket());
            url = "jdbc:mariadb://localhost/";
        } else {
            url = "jdbc:mariadb://" + server.address() + ":" + server.port() + "/";
        }
        Connection c = DRIVER.connect(url, props);
        if (c == null) {
            throw new SQLException("driver rejected URL " + url);
        }
        return c;
    }
}
