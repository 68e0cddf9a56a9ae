package dev.sluice.api.query;

/**
 * What a hint comment asks of the session's hint state. Only {@link #APPLY} concerns the statement alone; the
 * others manage MaxScale's named hint stacks, which the session (not the classifier) keeps.
 */
public enum HintAction {
    /** {@code -- maxscale route to master}: applies to this statement. */
    APPLY,
    /**
     * {@code -- maxscale begin route to slave} pushes an anonymous hint; {@code -- maxscale name begin} pushes the
     * hint prepared under {@code name} (then {@link Hint#type()} is {@link HintType#NONE}).
     */
    BEGIN,
    /** {@code -- maxscale end}: pops the innermost pushed hint. */
    END,
    /** {@code -- maxscale name prepare route to master}: defines a named hint without applying it. */
    PREPARE
}
