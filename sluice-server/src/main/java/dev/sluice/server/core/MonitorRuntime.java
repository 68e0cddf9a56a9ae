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

/**
 * Hosts one monitor instance: builds its context, starts and stops it. Started, stopped and destroyed by the
 * thread applying configuration changes. Reference counted like every runtime object: the registry holds the
 * only reference, and its release stops the monitor thread and runs the release hook, exactly once.
 */
public final class MonitorRuntime extends RefCounted {
    private final String name;
    private final Monitor monitor;
    private final List<ServerRuntime> servers;
    private final java.util.function.Consumer<MonitorRuntime> onRelease;
    /** Written by the thread applying configuration changes, read by the REST API. */
    private volatile boolean running;

    public MonitorRuntime(String name, MonitorFactory factory, ParamValues params, List<ServerRuntime> servers,
                          Path dataDirectory) {
        this(name, factory, params, servers, dataDirectory, m -> { });
    }

    /** @param onRelease run once, after the monitor has stopped, by whoever drops the last reference */
    public MonitorRuntime(String name, MonitorFactory factory, ParamValues params, List<ServerRuntime> servers,
                          Path dataDirectory, java.util.function.Consumer<MonitorRuntime> onRelease) {
        this(name, factory, params, servers, dataDirectory, onRelease, () -> false);
    }

    /** @param passive the global {@code passive} setting as it is now (any thread may call it) */
    public MonitorRuntime(String name, MonitorFactory factory, ParamValues params, List<ServerRuntime> servers,
                          Path dataDirectory, java.util.function.Consumer<MonitorRuntime> onRelease,
                          java.util.function.BooleanSupplier passive) {
        this.name = name;
        this.onRelease = onRelease;
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

                @Override
                public void setMaintenance(boolean on) {
                    s.setManualBit(dev.sluice.api.server.StatusBit.MAINTENANCE, on);
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

            @Override
            public boolean passive() {
                return passive.getAsBoolean();
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
        running = true;
    }

    public void stop() {
        running = false;
        monitor.stop();
    }

    public boolean isRunning() {
        return running;
    }

    @Override
    protected void deallocate() {
        stop();
        onRelease.accept(this);
    }
}
