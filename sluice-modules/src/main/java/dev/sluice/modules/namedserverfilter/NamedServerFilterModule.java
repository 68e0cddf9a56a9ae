package dev.sluice.modules.namedserverfilter;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.ModuleProvider;
import dev.sluice.api.filter.FilterFactory;
import java.util.List;

/** Registers namedserverfilter (found through ServiceLoader like any external module). */
public final class NamedServerFilterModule implements ModuleProvider {
    public static final Module MODULE = new Module("namedserverfilter", List.of(), ModuleKind.FILTER, "1.0.0",
            "Routes statements matching regular expressions to named servers through routing hints",
            NamedServerFilterConfig.SPEC, (FilterFactory) NamedServerFilter::new);

    @Override
    public List<Module> modules() {
        return List.of(MODULE);
    }
}
