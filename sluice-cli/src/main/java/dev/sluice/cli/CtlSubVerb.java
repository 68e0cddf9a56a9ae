package dev.sluice.cli;

/**
 * One object type of a {@link CtlGroup} verb ({@code create server …}): a {@link CtlVerb} one level deeper, so
 * it shares the client per target host, {@code -h} fan-out and error handling.
 */
abstract class CtlSubVerb extends CtlVerb {
}
