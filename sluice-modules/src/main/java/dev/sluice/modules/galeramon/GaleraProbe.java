package dev.sluice.modules.galeramon;

import dev.sluice.api.server.Server;
import dev.sluice.modules.monitor.MonitorConnections;
import dev.sluice.modules.monitor.MonitorSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The monitor's connection to one Galera node and the three queries of a tick: the wsrep status, the wsrep
 * and server variables ({@code SHOW} statements, which a node outside the primary component still answers),
 * and {@code SHOW SLAVE STATUS}. The connection is kept between ticks; when a kept one fails, one fresh
 * connection is tried in the same tick, so a node that restarted between two ticks is not reported down.
 *
 * <p>Confined to the monitor thread: plain fields, no locks.
 */
final class GaleraProbe implements AutoCloseable {


    static final String STATUS = "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_state_uuid',"
            + " 'wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_local_index', 'wsrep_local_state',"
            + " 'wsrep_local_state_comment', 'wsrep_ready')";
    static final String VARIABLES = "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_desync',"
            + " 'wsrep_reject_queries', 'wsrep_sst_donor_rejects_queries', 'wsrep_sst_method', 'wsrep_node_name',"
            + " 'wsrep_sst_donor', 'server_id', 'read_only', 'version', 'gtid_current_pos', 'gtid_binlog_pos')";

    /** The variables as one SELECT: a third of the cost of SHOW VARIABLES on a Galera node. */
    static final String SELECT_VARIABLES = "SELECT @@wsrep_desync, @@wsrep_reject_queries,"
            + " @@wsrep_sst_donor_rejects_queries, @@wsrep_sst_method, @@wsrep_node_name, @@wsrep_sst_donor,"
            + " @@server_id, @@read_only, @@version, @@gtid_current_pos, @@gtid_binlog_pos";
    private static final String[] SELECTED = {"wsrep_desync", "wsrep_reject_queries",
        "wsrep_sst_donor_rejects_queries", "wsrep_sst_method", "wsrep_node_name", "wsrep_sst_donor", "server_id",
        "read_only", "version", "gtid_current_pos", "gtid_binlog_pos"};
    private static final int ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

    private final Server server;
    private final MonitorSettings settings;
    /**
     * Whether the server knows the wsrep variables by {@code @@name}; false after error 1193 (a server built
     * without wsrep, e.g. an asynchronous replica of the cluster): {@code SHOW VARIABLES} then. Monitor thread.
     */
    private boolean selectVariables = true;
    /** Monitor thread only; null while disconnected. */
    private Connection connection;

    GaleraProbe(Server server, MonitorSettings settings) {
        this.server = server;
        this.settings = settings;
    }

    /** Reads the node; never throws — an unreachable node is a state too. */
    GaleraNodeState probe() {
        boolean reused = connection != null;
        try {
            return query(connected());
        } catch (SQLException first) {
            closeConnection();
            if (!reused || MonitorConnections.isAuthError(first)) {
                return unreachable(first);
            }
            try {
                return query(connected());
            } catch (SQLException second) {
                closeConnection();
                return unreachable(second);
            }
        }
    }

    /** {@code SET GLOBAL wsrep_sst_donor = list} on this node ({@code set_donor_nodes}). */
    void setSstDonor(String list) throws SQLException {
        try (PreparedStatement ps = connected().prepareStatement("SET GLOBAL wsrep_sst_donor = ?")) {
            ps.setString(1, list);
            ps.execute();
        }
    }

    private Connection connected() throws SQLException {
        if (connection == null) {
            connection = MonitorConnections.open(server, settings.user(), settings.password(),
                    settings.connectTimeout().toMillis(), settings.readTimeout().toMillis());
        }
        return connection;
    }

    private GaleraNodeState query(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            Map<String, String> status = nameValues(s, STATUS);
            Map<String, String> variables = variables(s);
            long masterServerId = 0;
            long lag = -1;
            try (ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
                if (rs.next() && "Yes".equals(rs.getString("Slave_SQL_Running"))) {
                    masterServerId = rs.getLong("Master_Server_Id");
                    lag = rs.getLong("Seconds_Behind_Master");
                    if (rs.wasNull()) {
                        lag = -1;
                    }
                }
            }
            String comment = status.getOrDefault("wsrep_local_state_comment", "");
            int colon = comment.indexOf(':');
            String binlogPos = variables.getOrDefault("gtid_binlog_pos", "");
            String currentPos = variables.getOrDefault("gtid_current_pos", "");
            return new GaleraNodeState(true, false, "", (int) number(status.get("wsrep_local_state")),
                    colon >= 0 ? comment.substring(0, colon) : comment, number(status.get("wsrep_local_index")),
                    status.getOrDefault("wsrep_cluster_state_uuid", ""),
                    (int) Math.max(0, number(status.get("wsrep_cluster_size"))),
                    status.getOrDefault("wsrep_cluster_status", ""), truth(status.get("wsrep_ready")),
                    truth(variables.get("wsrep_desync")), variables.getOrDefault("wsrep_reject_queries", "NONE"),
                    truth(variables.get("wsrep_sst_donor_rejects_queries")),
                    variables.getOrDefault("wsrep_sst_method", ""), variables.getOrDefault("wsrep_node_name", ""),
                    variables.getOrDefault("wsrep_sst_donor", ""), number(variables.get("server_id")),
                    truth(variables.get("read_only")), variables.getOrDefault("version", ""),
                    currentPos.isEmpty() ? binlogPos : currentPos, binlogPos, masterServerId, lag);
        }
    }

    private Map<String, String> variables(Statement s) throws SQLException {
        if (selectVariables) {
            try (ResultSet rs = s.executeQuery(SELECT_VARIABLES)) {
                Map<String, String> out = new HashMap<>();
                rs.next();
                for (int i = 0; i < SELECTED.length; i++) {
                    String value = rs.getString(i + 1);
                    out.put(SELECTED[i], value == null ? "" : value);
                }
                return out;
            } catch (SQLException e) {
                if (e.getErrorCode() != ER_UNKNOWN_SYSTEM_VARIABLE) {
                    throw e;
                }
                selectVariables = false;
            }
        }
        return nameValues(s, VARIABLES);
    }

    private static Map<String, String> nameValues(Statement s, String sql) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String value = rs.getString(2);
                out.put(rs.getString(1).toLowerCase(Locale.ROOT), value == null ? "" : value);
            }
        }
        return out;
    }

    /** A whole number, or -1 when absent or not a number (a node without wsrep, a bad local index). */
    private static long number(String text) {
        if (text == null) {
            return -1;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** MariaDB's ways of saying yes: ON, 1, YES, TRUE. */
    private static boolean truth(String text) {
        if (text == null) {
            return false;
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        return t.equals("ON") || t.equals("1") || t.equals("YES") || t.equals("TRUE");
    }

    private static GaleraNodeState unreachable(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return GaleraNodeState.unreachable(message, MonitorConnections.isAuthError(e));
    }

    private void closeConnection() {
        MonitorConnections.closeQuietly(connection);
        connection = null;
    }

    @Override
    public void close() {
        closeConnection();
    }
}
