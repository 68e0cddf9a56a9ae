/**
 * What a backend's reply is, as the protocol layer read it: {@link dev.sluice.api.reply.Reply} is handed up with
 * every reply packet, so routers and filters never parse reply bytes.
 */
package dev.sluice.api.reply;
