package dev.sluice.server.session;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;
import dev.sluice.server.core.ServerRuntime;
import dev.sluice.server.core.ServiceRuntime;

/**
 * A service as a routing target of another service: it has a name and a status (Running while any of its servers
 * is usable), and a router reaches it through a {@link ServiceEndpoint}. It is a {@link Server} only so that
 * endpoints keep one type ({@code Endpoint.server()}); {@link #isService()} tells it apart.
 */
final class ServiceTarget implements Server {
    private static final ServerStatus RUNNING = ServerStatus.UNMONITORED.withBits(StatusBit.RUNNING.mask());

    final ServiceRuntime service;

    ServiceTarget(ServiceRuntime service) {
        this.service = service;
    }

    @Override
    public String name() {
        return service.name();
    }

    @Override
    public boolean isService() {
        return true;
    }

    @Override
    public ServerStatus status() {
        if (!service.acceptsSessions()) {
            return ServerStatus.DOWN;
        }
        for (ServerRuntime s : service.servers()) {
            if (s.status().isUsable()) {
                return RUNNING;
            }
        }
        return service.servers().isEmpty() && !service.serviceTargets().isEmpty() ? RUNNING : ServerStatus.DOWN;
    }

    @Override
    public String address() {
        return "";
    }

    @Override
    public int port() {
        return 0;
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
    public int rank() {
        return 0;
    }

    @Override
    public String toString() {
        return "service " + service.name();
    }
}
