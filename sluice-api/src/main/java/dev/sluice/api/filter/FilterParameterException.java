package dev.sluice.api.filter;

import java.util.Objects;

/**
 * Thrown by a {@link FilterFactory} for parameters that each parse but do not fit together (a {@code match01}
 * without its {@code target01}, say). The configuration loader creates every filter once while validating, so
 * the problem is reported against the file, line and parameter like any other, and a runtime change carrying it
 * is refused without changing anything.
 */
public final class FilterParameterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String parameter;

    /** @param parameter the parameter the problem is reported against, as the section writes it */
    public FilterParameterException(String parameter, String message) {
        super(message);
        this.parameter = Objects.requireNonNull(parameter, "parameter");
    }

    public String parameter() {
        return parameter;
    }
}
