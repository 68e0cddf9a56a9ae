package dev.sluice.api;

import java.util.List;
import java.util.Objects;

/**
 * A command a module declares (MaxScale's module commands, e.g. mariadbmon's {@code switchover}), as the REST
 * API lists it under {@code /v1/maxscale/modules/:module} and {@code sluice ctl list commands} shows it. The
 * declaration documents the command; the module still checks its arguments when it runs. Immutable.
 *
 * @param method     the HTTP method MaxScale uses for it: {@code GET} for commands that only read, else {@code POST}
 * @param parameters the arguments in order, the first being the object the command runs on (the monitor)
 */
public record ModuleCommand(String name, String method, String description, List<Parameter> parameters) {
    public ModuleCommand {
        Objects.requireNonNull(name, "name");
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new IllegalArgumentException("method: " + method + " (expected: GET or POST)");
        }
        Objects.requireNonNull(description, "description");
        parameters = List.copyOf(parameters);
    }

    /**
     * One argument: its type in MaxScale's notation ({@code MONITOR}, {@code SERVER}, {@code STRING}; an optional
     * one is written in brackets, {@code [SERVER]}), a description, and whether it must be given.
     */
    public record Parameter(String type, String description, boolean required) {
        public Parameter {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(description, "description");
        }

        public static Parameter required(String type, String description) {
            return new Parameter(type, description, true);
        }

        public static Parameter optional(String type, String description) {
            return new Parameter("[" + type + "]", description, false);
        }
    }

    /** How many arguments the command needs at least. */
    public int minArguments() {
        int n = 0;
        for (Parameter p : parameters) {
            if (p.required()) {
                n++;
            }
        }
        return n;
    }

    /** How many arguments the command takes at most. */
    public int maxArguments() {
        return parameters.size();
    }
}
