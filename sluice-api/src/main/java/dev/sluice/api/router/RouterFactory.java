package dev.sluice.api.router;

/** The factory of a router module ({@code router=NAME} in a service). */
@FunctionalInterface
public interface RouterFactory {
    Router create(RouterContext context);

    /**
     * Whether the router routes to services too ({@code RouterSessionContext.targets()} and {@code open}): a service
     * whose {@code targets=} names a service is refused at load when its router does not.
     */
    default boolean routesToServices() {
        return false;
    }
}
