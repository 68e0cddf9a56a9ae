package dev.sluice.api.filter;

import dev.sluice.api.config.ParamValues;

/** What a filter instance is created with. */
public interface FilterContext {
    /** The section name of the filter. */
    String filterName();

    /** The filter's parameters ({@code module} and the module's own). */
    ParamValues params();
}
