package dev.sluice.modules;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;

/** A server whose status a test sets; no network. */
public record FakeServer(String name, int rank, ServerStatus status) implements Server {
    @Override
    public String address() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return 3306;
    }

    @Override
    public String socket() {
        return "";
    }

    @Override
    public ParamValues params() {
        return ParamValues.empty();
    }

    /** A status with these bits and replication lag (-1 for unknown). */
    public static ServerStatus status(long lag, StatusBit... bits) {
        long mask = 0;
        for (StatusBit b : bits) {
            mask |= b.mask();
        }
        return new ServerStatus(mask, lag, 1, false, "", "", "", "");
    }
}
