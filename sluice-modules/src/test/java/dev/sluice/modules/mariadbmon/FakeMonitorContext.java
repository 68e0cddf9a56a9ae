package dev.sluice.modules.mariadbmon;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.monitor.MonitorContext;
import dev.sluice.api.monitor.MonitoredServer;
import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A plain MonitorContext for tests: servers that remember what the monitor published. */
final class FakeMonitorContext implements MonitorContext {

    private final ParamValues params;
    private final List<MonitoredServer> servers;
    private final Path dataDirectory;

    FakeMonitorContext(Map<String, Object> params, List<FakeServer> servers) {
        this(params, servers, Path.of("target", "monitor-data"));
    }

    FakeMonitorContext(Map<String, Object> params, List<FakeServer> servers, Path dataDirectory) {
        this.params = ParamValues.of(params);
        this.servers = new ArrayList<>(servers);
        this.dataDirectory = dataDirectory;
    }

    @Override
    public String name() {
        return "test-monitor";
    }

    @Override
    public ParamValues params() {
        return params;
    }

    @Override
    public List<MonitoredServer> servers() {
        return servers;
    }

    @Override
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** A server and its published status (written by the monitor thread, read by the test thread). */
    static final class FakeServer implements Server, MonitoredServer {
        private final String name;
        private final String address;
        private final int port;
        private volatile ServerStatus status = ServerStatus.UNMONITORED;

        FakeServer(String name, String address, int port) {
            this.name = name;
            this.address = address;
            this.port = port;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public String socket() {
            return "";
        }

        @Override
        public ParamValues params() {
            return ParamValues.empty();
        }

        @Override
        public ServerStatus status() {
            return status;
        }

        @Override
        public int rank() {
            return 0;
        }

        @Override
        public Server server() {
            return this;
        }

        @Override
        public void publish(ServerStatus newStatus) {
            this.status = newStatus;
        }

        @Override
        public void setMaintenance(boolean on) {
            long bit = dev.sluice.api.server.StatusBit.MAINTENANCE.mask();
            this.status = status.withBits(on ? status.bits() | bit : status.bits() & ~bit);
        }
    }
}
