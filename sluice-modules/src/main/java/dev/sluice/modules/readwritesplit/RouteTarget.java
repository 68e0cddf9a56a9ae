package dev.sluice.modules.readwritesplit;

/** Where a statement goes. */
enum RouteTarget {
    PRIMARY,
    /** One replica (or the primary when none is usable, or the replica of an open read-only transaction). */
    REPLICA,
    /** Every open connection: a session command. */
    ALL,
    /** The server that ran the previous statement (FOUND_ROWS(), hint "route to last"). */
    LAST_USED,
    /** A server named by a hint. */
    NAMED_SERVER
}
