package dev.sluice.api.router;

/** The factory of a router module ({@code router=NAME} in a service). */
@FunctionalInterface
public interface RouterFactory {
    Router create(RouterContext context);
}
