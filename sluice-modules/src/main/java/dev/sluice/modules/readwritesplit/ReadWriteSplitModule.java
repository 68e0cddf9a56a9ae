package dev.sluice.modules.readwritesplit;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.ModuleProvider;
import dev.sluice.api.router.RouterFactory;
import java.util.List;

/** Registers readwritesplit (found through ServiceLoader like any external module). */
public final class ReadWriteSplitModule implements ModuleProvider {
    public static final Module MODULE = new Module("readwritesplit", List.of(), ModuleKind.ROUTER, "0.1.0",
            "Statement-level read/write splitting: writes to the primary, reads spread over replicas",
            ReadWriteSplitConfig.SPEC, (RouterFactory) ReadWriteSplit::new);

    @Override
    public List<Module> modules() {
        return List.of(MODULE);
    }
}
