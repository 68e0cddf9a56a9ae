package dev.sluice.server.config;

import dev.sluice.api.Module;
import dev.sluice.server.auth.mariadbauth.MariaDbAuthModule;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.ModuleProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The modules this process knows, found through {@link ModuleProvider} and ServiceLoader (built-ins register
 * exactly like external jars). Immutable and safe to share between threads.
 */
public final class ModuleRegistry {
    private final List<Module> modules;

    private ModuleRegistry(List<Module> modules) {
        this.modules = List.copyOf(modules);
    }

    /** Every module of every {@code META-INF/services/dev.sluice.api.ModuleProvider} on the class path. */
    public static ModuleRegistry load() {
        List<Module> found = new ArrayList<>();
        for (ModuleProvider provider : ServiceLoader.load(ModuleProvider.class)) {
            found.addAll(provider.modules());
        }
        return of(found);
    }

    /** The modules built into the core, always present: the mysql_native_password authenticator. */
    static final List<Module> CORE = List.of(MariaDbAuthModule.MODULE);

    /**
     * {@code modules} and the core's own ({@link #CORE}, unless {@code modules} has one of that name already).
     *
     * @throws IllegalArgumentException when two modules of one kind answer to the same name
     */
    public static ModuleRegistry of(List<Module> given) {
        List<Module> modules = new ArrayList<>(given);
        for (Module core : CORE) {
            if (modules.stream().noneMatch(m -> m.kind() == core.kind() && m.answersTo(core.name()))) {
                modules.add(core);
            }
        }
        for (int i = 0; i < modules.size(); i++) {
            Module a = modules.get(i);
            for (int j = i + 1; j < modules.size(); j++) {
                Module b = modules.get(j);
                if (a.kind() == b.kind() && (b.answersTo(a.name()) || a.answersTo(b.name())
                        || a.aliases().stream().anyMatch(b::answersTo))) {
                    throw new IllegalArgumentException("module " + b.name() + ": name taken by " + a.name()
                            + " (expected: unique names per kind)");
                }
            }
        }
        return new ModuleRegistry(modules);
    }

    /** The module of this kind whose name or alias is {@code name}, ignoring case. */
    public Optional<Module> find(ModuleKind kind, String name) {
        return modules.stream().filter(m -> m.kind() == kind && m.answersTo(name)).findFirst();
    }

    public List<Module> all() {
        return modules;
    }

    public List<Module> ofKind(ModuleKind kind) {
        return modules.stream().filter(m -> m.kind() == kind).toList();
    }
}
