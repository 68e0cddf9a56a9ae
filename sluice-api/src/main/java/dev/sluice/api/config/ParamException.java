package dev.sluice.api.config;

/** A raw configuration value that does not fit its parameter; the message says what was expected. */
public final class ParamException extends Exception {
    private static final long serialVersionUID = 1L;

    public ParamException(String message) {
        super(message, null, false, false);
    }
}
