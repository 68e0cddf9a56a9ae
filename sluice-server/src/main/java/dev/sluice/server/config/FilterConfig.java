package dev.sluice.server.config;

import dev.sluice.api.Module;
import dev.sluice.api.config.ParamValues;
import dev.sluice.api.filter.Filter;
import dev.sluice.api.filter.FilterContext;
import dev.sluice.api.filter.FilterFactory;
import java.util.Objects;

/** A {@code type=filter} section: values of {@link FilterParams#SPEC} plus the filter module's spec. */
public record FilterConfig(String name, Module module, ParamValues values) {
    public FilterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(values, "values");
    }

    /**
     * A new filter instance of this section (the loader validates filters this way too).
     *
     * @throws dev.sluice.api.filter.FilterParameterException when the parameters do not fit together
     */
    public Filter newFilter() {
        return module.factory(FilterFactory.class).create(new FilterContext() {
            @Override
            public String filterName() {
                return name;
            }

            @Override
            public ParamValues params() {
                return values;
            }
        });
    }
}
