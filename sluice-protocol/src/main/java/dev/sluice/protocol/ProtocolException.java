package dev.sluice.protocol;

/** A peer sent bytes that break the protocol (truncated packet, bad sequence, garbage where a packet was due). */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
