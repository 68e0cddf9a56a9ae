package dev.sluice.api;

import dev.sluice.api.config.ParamSpec;
import java.util.List;
import java.util.Objects;

/**
 * The one descriptor of a plugin module: its name (as written in {@code router=} or {@code module=}), kind,
 * version, a one-line description, its typed parameter specification and the factory that creates instances.
 * Built-in modules register exactly like external ones, through {@link ModuleProvider} and ServiceLoader.
 *
 * @param aliases other names accepted in configuration files (MaxScale's old names, e.g. {@code mysqlmon})
 * @param factory creates an instance; its type depends on {@link #kind()} (for example a
 *                {@code dev.sluice.api.router.RouterFactory} for routers)
 * @param commands the module commands it declares ({@link ModuleCommand}); empty for most modules
 */
public record Module(String name, List<String> aliases, ModuleKind kind, String version, String description,
                     ParamSpec spec, Object factory, List<ModuleCommand> commands) {
    /** A module without commands. */
    public Module(String name, List<String> aliases, ModuleKind kind, String version, String description,
                  ParamSpec spec, Object factory) {
        this(name, aliases, kind, version, description, spec, factory, List.of());
    }

    public Module {
        Objects.requireNonNull(name, "name");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(factory, "factory");
        commands = List.copyOf(commands);
    }

    /** The command declared under {@code name}, or null. */
    public ModuleCommand command(String commandName) {
        for (ModuleCommand c : commands) {
            if (c.name().equals(commandName)) {
                return c;
            }
        }
        return null;
    }

    public boolean answersTo(String configuredName) {
        if (name.equalsIgnoreCase(configuredName)) {
            return true;
        }
        for (String alias : aliases) {
            if (alias.equalsIgnoreCase(configuredName)) {
                return true;
            }
        }
        return false;
    }

    /** The factory, checked against the type the caller expects. */
    public <T> T factory(Class<T> type) {
        if (!type.isInstance(factory)) {
            throw new IllegalStateException("module " + name + ": factory " + factory.getClass().getName()
                    + " (expected: " + type.getName() + ")");
        }
        return type.cast(factory);
    }
}
