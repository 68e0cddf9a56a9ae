package dev.sluice.server.auth;

import dev.sluice.api.server.Server;
import dev.sluice.protocol.auth.NativePassword;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Reads accounts, database grants, role mappings and the database list from one server with the service's
 * credentials. Blocking (JDBC): runs on the blocking executor, never on a routing worker.
 */
public final class UserAccountLoader {
    /** Global privileges that give access to every database (the server's DB_ACLS). */
    private static final String[] DB_LEVEL_PRIVILEGES = {"Select_priv", "Insert_priv", "Update_priv", "Delete_priv",
        "Create_priv", "Drop_priv", "Grant_priv", "References_priv", "Index_priv", "Alter_priv",
        "Create_tmp_table_priv", "Lock_tables_priv", "Execute_priv", "Create_view_priv", "Show_view_priv",
        "Create_routine_priv", "Alter_routine_priv", "Event_priv", "Trigger_priv", "Delete_history_priv"};

    private final String user;
    private final String password;
    private final Duration timeout;

    public UserAccountLoader(String user, String password, Duration timeout) {
        this.user = user;
        this.password = password;
        this.timeout = timeout;
    }

    public static String jdbcUrl(Server server, Duration timeout) {
        long ms = Math.max(1000, timeout.toMillis());
        if (!server.socket().isEmpty()) {
            return "jdbc:mariadb://localhost/?localSocket=" + server.socket() + "&connectTimeout=" + ms
                    + "&socketTimeout=" + ms;
        }
        return "jdbc:mariadb://" + server.address() + ":" + server.port() + "/?connectTimeout=" + ms
                + "&socketTimeout=" + ms;
    }

    public UserAccounts load(Server server) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(jdbcUrl(server, timeout), props);
             Statement st = c.createStatement()) {
            Map<String, Set<String>> roles = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT User, Host, Role FROM mysql.roles_mapping")) {
                while (rs.next()) {
                    roles.computeIfAbsent(rs.getString(1) + "@" + rs.getString(2), k -> new HashSet<>())
                            .add(rs.getString(3));
                }
            } catch (SQLException e) {
                // servers without roles (MySQL): no role mappings
            }
            List<UserAccount> accounts = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT * FROM mysql.user")) {
                Set<String> columns = columns(rs.getMetaData());
                while (rs.next()) {
                    accounts.add(account(rs, columns, roles));
                }
            }
            Map<String, List<String>> grants = new HashMap<>();
            readGrants(st, "SELECT User, Host, Db FROM mysql.db", grants);
            readGrants(st, "SELECT DISTINCT User, Host, Db FROM mysql.tables_priv", grants);
            readGrants(st, "SELECT DISTINCT User, Host, Db FROM mysql.columns_priv", grants);
            readGrants(st, "SELECT DISTINCT User, Host, Db FROM mysql.procs_priv", grants);
            Set<String> databases = new HashSet<>();
            try (ResultSet rs = st.executeQuery("SHOW DATABASES")) {
                while (rs.next()) {
                    databases.add(rs.getString(1));
                }
            }
            return new UserAccounts(accounts, grants, databases, System.nanoTime() | 1);
        }
    }

    private static void readGrants(Statement st, String sql, Map<String, List<String>> grants) {
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String host = rs.getString(2);
                // role grants carry an empty host
                String key = rs.getString(1) + "@" + (host == null ? "" : host);
                grants.computeIfAbsent(key, k -> new ArrayList<>()).add(rs.getString(3));
            }
        } catch (SQLException e) {
            // a table the service user may not read: fewer grants known, the server still checks them
        }
    }

    private static UserAccount account(ResultSet rs, Set<String> columns, Map<String, Set<String>> roles)
            throws SQLException {
        String user = rs.getString("User");
        String host = rs.getString("Host");
        String plugin = columns.contains("plugin") ? nullToEmpty(rs.getString("plugin")) : "";
        String authString = columns.contains("authentication_string")
                ? nullToEmpty(rs.getString("authentication_string")) : "";
        if (authString.isEmpty() && columns.contains("password")) {
            authString = nullToEmpty(rs.getString("Password"));
        }
        if (plugin.isEmpty()) {
            plugin = NativePassword.PLUGIN;
        }
        boolean global = false;
        for (String priv : DB_LEVEL_PRIVILEGES) {
            if (columns.contains(priv.toLowerCase(Locale.ROOT)) && "Y".equalsIgnoreCase(rs.getString(priv))) {
                global = true;
                break;
            }
        }
        boolean tls = columns.contains("ssl_type") && !nullToEmpty(rs.getString("ssl_type")).isEmpty();
        boolean isRole = columns.contains("is_role") && "Y".equalsIgnoreCase(rs.getString("is_role"));
        String defaultRole = columns.contains("default_role") ? nullToEmpty(rs.getString("default_role")) : "";
        Set<String> granted = roles.getOrDefault(user + "@" + host, Set.of());
        return new UserAccount(user, host, HostPattern.parse(host), authString, plugin, global, tls, isRole,
                Set.copyOf(granted), defaultRole);
    }

    private static Set<String> columns(ResultSetMetaData md) throws SQLException {
        Set<String> out = new HashSet<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            out.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
