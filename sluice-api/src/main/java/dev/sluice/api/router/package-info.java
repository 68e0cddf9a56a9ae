/**
 * The router plugin API. A {@link dev.sluice.api.router.Router} is created once per service (immutable
 * configuration, shared counters); a {@link dev.sluice.api.router.RouterSession} once per client session.
 * Requests travel down {@code routeQuery}, replies up {@code clientReply}. Everything a router session does
 * happens on its session's worker thread: no locks on the data path.
 *
 * <p>Buffer ownership: a method that receives a {@code ByteBuf} owns it and must pass it on (write it to an
 * endpoint or to the client) or release it.
 */
package dev.sluice.api.router;
