package dev.sluice.modules.readconnroute;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.ModuleProvider;
import dev.sluice.api.router.RouterFactory;
import java.util.List;

/** Registers readconnroute (found through ServiceLoader like any external module). */
public final class ReadConnRouteModule implements ModuleProvider {
    public static final Module MODULE = new Module("readconnroute", List.of(), ModuleKind.ROUTER,
            "1.0.0", "Connection-level load balancing over the servers of a service", ReadConnRouteConfig.SPEC,
            (RouterFactory) ReadConnRoute::new);

    @Override
    public List<Module> modules() {
        return List.of(MODULE);
    }

}
