package dev.sluice.api.query;

/** What a hint asks for (MaxScale hintfilter vocabulary). */
public enum HintType {
    /** No content: an {@code end}, or a {@code name begin} that refers to a prepared hint. */
    NONE,
    ROUTE_TO_MASTER,
    ROUTE_TO_SLAVE,
    /** Route to the server named in {@link Hint#name()}. */
    ROUTE_TO_NAMED_SERVER,
    /** Route to the server that ran the previous statement. */
    ROUTE_TO_LAST_USED,
    /** A router parameter for this statement, e.g. {@code max_replication_lag=10}: {@link Hint#name()}, value. */
    PARAMETER
}
