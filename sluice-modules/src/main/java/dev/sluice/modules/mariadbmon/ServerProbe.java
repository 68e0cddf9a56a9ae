package dev.sluice.modules.mariadbmon;

import dev.sluice.api.server.Server;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The monitor's JDBC connection to one server and the queries of one tick. The connection is kept open
 * between ticks; when a kept connection fails, one fresh connection is tried in the same tick, so a server
 * that restarted between two ticks is not reported down.
 *
 * <p>Confined to the monitor thread: plain fields, no locks.
 */
final class ServerProbe implements AutoCloseable {

    private static final int ER_DBACCESS_DENIED = 1044;
    private static final int ER_TABLEACCESS_DENIED = 1142;
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    private static final int ER_UNKNOWN_TABLE = 1109;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServerProbe.class);

    private static final String VARIABLES = "SELECT @@server_id, @@read_only, @@version, @@gtid_binlog_pos,"
            + " @@gtid_current_pos, @@gtid_slave_pos";

    private final Server server;
    private final MariaDbMonitorConfig config;
    /** Monitor thread only; null while disconnected. */
    private Connection connection;
    /** disk_space_threshold of this server (its own, else the monitor's); empty: no disk check. */
    private final java.util.Map<String, Integer> diskLimits;
    private long nextDiskCheck = System.nanoTime();
    /** The last disk check's exhausted disks, described; empty when none or not checked. */
    private String diskExhausted = "";
    /** Why the disk check was given up on this server, or empty. */
    private String diskCheckOff = "";

    ServerProbe(Server server, MariaDbMonitorConfig config) {
        this.server = server;
        this.config = config;
        String own = DiskSpace.threshold(server.params());
        this.diskLimits = own.isBlank() ? config.diskSpaceThreshold()
                : DiskSpace.parse("server " + server.name() + ": disk_space_threshold", own);
    }

    /** The disks of this server above their {@code disk_space_threshold} at the last check; empty when none. */
    String diskExhausted() {
        return diskExhausted;
    }

    /**
     * Reads {@code information_schema.DISKS} when a check is due ({@code disk_space_check_interval}). A server
     * without the table or the privilege is not checked again (logged once); other errors keep the last result.
     */
    private void checkDisks(Connection c) {
        Duration interval = config.diskSpaceCheckInterval();
        if (diskLimits.isEmpty() || interval.isZero() || !diskCheckOff.isEmpty()
                || System.nanoTime() - nextDiskCheck < 0) {
            return;
        }
        nextDiskCheck = System.nanoTime() + interval.toNanos();
        try {
            diskExhausted = DiskSpace.exhausted(DiskSpace.read(c), diskLimits);
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_UNKNOWN_TABLE || e.getErrorCode() == ER_SPECIFIC_ACCESS_DENIED
                    || e.getErrorCode() == ER_TABLEACCESS_DENIED || e.getErrorCode() == ER_DBACCESS_DENIED) {
                diskCheckOff = e.getMessage();
                diskExhausted = "";
                log.warn("server {}: disk space is not checked: {} (needs the DISKS plugin, INSTALL SONAME"
                        + " 'disks', and the FILE privilege for the monitor user)", server.name(), e.getMessage());
            }
        }
    }

    /** Reads the server's state; never throws — an unreachable server is a snapshot too. */
    ServerSnapshot probe() {
        boolean reused = connection != null;
        try {
            ServerSnapshot snapshot = query(connected());
            checkDisks(connection);
            return snapshot;
        } catch (SQLException first) {
            closeConnection();
            if (!reused || dev.sluice.modules.monitor.MonitorConnections.isAuthError(first)) {
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

    /** The kept connection, or a new one after up to {@code backend_connect_attempts} tries (one on auth errors). */
    private Connection connected() throws SQLException {
        if (connection != null) {
            return connection;
        }
        for (int attempt = 1;; attempt++) {
            try {
                connection = open(server, config, config.connectTimeout().toMillis(),
                        config.readTimeout().toMillis());
                return connection;
            } catch (SQLException e) {
                if (attempt >= config.connectAttempts() || dev.sluice.modules.monitor.MonitorConnections.isAuthError(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * A new JDBC connection to {@code server} with the monitor's credentials (or the server's own
     * {@code monitoruser}/{@code monitorpw}) and the given timeouts.
     */
    static Connection open(Server server, MariaDbMonitorConfig config, long connectTimeoutMs, long readTimeoutMs)
            throws SQLException {
        return dev.sluice.modules.monitor.MonitorConnections.open(server, config.user(), config.password(),
                connectTimeoutMs, readTimeoutMs);
    }

    private static ServerSnapshot query(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            long serverId;
            boolean readOnly;
            String version;
            String binlogPos;
            String currentPos;
            String slavePos;
            try (ResultSet rs = s.executeQuery(VARIABLES)) {
                rs.next();
                serverId = rs.getLong(1);
                readOnly = rs.getBoolean(2);
                version = nonNull(rs.getString(3));
                binlogPos = nonNull(rs.getString(4));
                currentPos = nonNull(rs.getString(5));
                slavePos = nonNull(rs.getString(6));
            }
            List<ReplicationConnection> connections = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW ALL SLAVES STATUS")) {
                while (rs.next()) {
                    long lag = rs.getLong("Seconds_Behind_Master");
                    if (rs.wasNull()) {
                        lag = -1;
                    }
                    connections.add(new ReplicationConnection(nonNull(rs.getString("Connection_name")),
                            nonNull(rs.getString("Master_Host")), rs.getInt("Master_Port"),
                            rs.getLong("Master_Server_Id"),
                            ReplicationConnection.IoThread.parse(rs.getString("Slave_IO_Running")),
                            "Yes".equals(rs.getString("Slave_SQL_Running")), lag,
                            nonNull(rs.getString("Gtid_IO_Pos")), nonNull(rs.getString("Last_IO_Error")),
                            nonNull(rs.getString("Last_SQL_Error")), nonNull(rs.getString("Using_Gtid")),
                            rs.getLong("Slave_received_heartbeats")));
                }
            }
            return new ServerSnapshot(true, false, "", serverId, readOnly, version, binlogPos, currentPos, slavePos,
                    connections);
        }
    }

    private static ServerSnapshot unreachable(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return ServerSnapshot.unreachable(message, dev.sluice.modules.monitor.MonitorConnections.isAuthError(e));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private void closeConnection() {
        dev.sluice.modules.monitor.MonitorConnections.closeQuietly(connection);
        connection = null;
    }

    @Override
    public void close() {
        closeConnection();
    }
}
