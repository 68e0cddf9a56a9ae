package dev.sluice.api.filter;

/** The factory of a filter module ({@code module=NAME} in a {@code type=filter} section). */
@FunctionalInterface
public interface FilterFactory {
    /**
     * Creates the filter instance of one section. The parameters were validated against the module's spec
     * already; throw {@link IllegalArgumentException} only for a combination the spec cannot express.
     */
    Filter create(FilterContext context);
}
