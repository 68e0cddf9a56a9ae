package dev.sluice.api;

import java.util.List;

/** Listed in {@code META-INF/services/dev.sluice.api.ModuleProvider}; returns the modules a jar provides. */
public interface ModuleProvider {
    List<Module> modules();
}
