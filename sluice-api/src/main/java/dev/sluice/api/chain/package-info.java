/**
 * The chain every client request goes down and every reply comes up: zero or more filter sessions, then the
 * service's router session (MaxScale's {@code routeQuery} / {@code clientReply}).
 *
 * <ul>
 *   <li>Down: a {@link dev.sluice.api.chain.Request} (the packet, its command, the statement's
 *       {@link dev.sluice.api.query.QueryInfo} classified once and only when a link asks, hints as objects) goes
 *       to {@code FilterSession.routeQuery(Request)}, then to {@code RouterSession.routeQuery(Request)}.</li>
 *   <li>Up: the router gets each backend packet with the connection's {@link dev.sluice.api.reply.Reply}
 *       ({@code RouterSession.clientReply(packet, endpoint, reply)}) and writes what the client should see;
 *       filters that handle replies get those packets with a {@code Reply} of what they see
 *       ({@code FilterSession.clientReply(packet, reply)}).</li>
 * </ul>
 *
 * <p>Ownership: whoever holds a request or a reply packet either passes it on or releases it.
 */
package dev.sluice.api.chain;
