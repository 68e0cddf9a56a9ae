package dev.sluice.api.router;

import dev.sluice.api.config.ParamValues;

/** What a router instance is created with. */
public interface RouterContext {
    String serviceName();

    /** The service's parameters, generic ones and the router's own. */
    ParamValues params();
}
