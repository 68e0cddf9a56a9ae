/**
 * The filter plugin API. A {@link dev.sluice.api.filter.Filter} is created once per {@code type=filter} section
 * (immutable configuration, shared counters); a {@link dev.sluice.api.filter.FilterSession} once per client
 * session of a service whose {@code filters=} names it. Requests travel down the chain in the order the service
 * lists its filters, then reach the router; a filter may rewrite a request, attach routing hints to it or answer
 * it itself. Everything a filter session does happens on its session's worker thread: no locks on the data path.
 *
 * <p>A service without filters pays nothing: the core has no chain then and hands requests to the router
 * directly.
 *
 * <p>Buffer ownership: {@link dev.sluice.api.filter.FilterSession#routeQuery} receives the request and must pass
 * it on (the same packet or a replacement) or release it. A filter that
 * {@linkplain dev.sluice.api.filter.Filter#handlesReplies() handles replies} receives each reply packet with a
 * {@link dev.sluice.api.reply.Reply} and must pass it on (or a replacement) or release it. See
 * {@link dev.sluice.api.chain} for the whole contract.
 */
package dev.sluice.api.filter;
