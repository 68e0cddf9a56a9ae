/**
 * The MariaDB client/server wire protocol, as Sluice needs it to forward packets without re-encoding them:
 * framing ({@link dev.sluice.protocol.PacketDecoder}), capability and status flags, the handful of packets the
 * proxy reads or writes itself (handshakes, OK, ERR, auth switch), password scrambles, and the
 * {@link dev.sluice.protocol.ReplyTracker} that follows a reply to its end. Nothing here knows about routing.
 */
package dev.sluice.protocol;
