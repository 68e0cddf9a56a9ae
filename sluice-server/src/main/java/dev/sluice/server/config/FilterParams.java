package dev.sluice.server.config;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;

/** The one parameter every {@code type=filter} section has; the rest belong to the filter module (§2.7). */
public final class FilterParams {
    public static final Param<String> MODULE = Param.string("module", "",
            "Filter module, for example namedserverfilter or regexfilter.").mandatory();

    public static final ParamSpec SPEC = ParamSpec.of(MODULE);

    private FilterParams() {
    }
}
