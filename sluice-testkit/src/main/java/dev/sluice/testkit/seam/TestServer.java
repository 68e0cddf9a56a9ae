package dev.sluice.testkit.seam;

import dev.sluice.api.config.ParamValues;
import dev.sluice.api.server.Server;
import dev.sluice.api.server.ServerStatus;
import dev.sluice.api.server.StatusBit;

/** A {@link Server} whose status a test sets (as a monitor would publish it). */
public final class TestServer implements Server {
    private final String name;
    private final int port;
    private volatile ServerStatus status;
    private volatile int rank;

    public TestServer(String name, ServerStatus status) {
        this.name = name;
        this.port = 3306;
        this.status = status;
    }

    /** Running with the given roles, e.g. {@code TestServer.with("db1", StatusBit.MASTER)}. */
    public static TestServer with(String name, StatusBit... bits) {
        long mask = StatusBit.RUNNING.mask();
        for (StatusBit b : bits) {
            mask |= b.mask();
        }
        return new TestServer(name, new ServerStatus(mask, 0, -1, false, "", "", "10.11.0-MariaDB", ""));
    }

    public static TestServer primary(String name) {
        return with(name, StatusBit.MASTER);
    }

    public static TestServer replica(String name) {
        return with(name, StatusBit.SLAVE);
    }

    public void status(ServerStatus status) {
        this.status = status;
    }

    public void rank(int rank) {
        this.rank = rank;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String address() {
        return "127.0.0.1";
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
        return rank;
    }

    @Override
    public String toString() {
        return name;
    }
}
