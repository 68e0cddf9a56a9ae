package dev.sluice.server.core;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.monitor.Monitor;
import dev.sluice.api.monitor.MonitorContext;
import dev.sluice.api.monitor.MonitorFactory;
import dev.sluice.api.monitor.MonitoredServer;
import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Hosts one monitor instance: builds its context, starts and stops it. Used by the main thread. */
public final class MonitorRuntime {
    private final String name;
    private final Monitor monitor;
    private final List<ServerRuntime> servers;

    public MonitorRuntime(String name, MonitorFactory factory, ParamValues params, List<ServerRuntime> servers,
                          Path dataDirectory) {
        this.name = name;
        this.servers = List.copyOf(servers);
        List<MonitoredServer> monitored = new ArrayList<>();
        for (ServerRuntime s : servers) {
            monitored.add(new MonitoredServer() {
                @Override
                public Server server() {
                    return s;
                }

                @Override
                public void publish(ServerStatus status) {
                    s.publishMonitorStatus(status);
                }
            });
        }
        List<MonitoredServer> view = List.copyOf(monitored);
        this.monitor = factory.create(new MonitorContext() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ParamValues params() {
                return params;
            }

            @Override
            public List<MonitoredServer> servers() {
                return view;
            }

            @Override
            public Path dataDirectory() {
                return dataDirectory;
            }
        });
    }

    public String name() {
        return name;
    }

    public Monitor monitor() {
        return monitor;
    }

    public List<ServerRuntime> servers() {
        return servers;
    }

    public void start() {
        monitor.start();
    }

    public void stop() {
        monitor.stop();
    }
}
