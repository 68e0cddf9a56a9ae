package dev.sluice.api.monitor;

/**
 * The outcome of a monitor command ({@link Monitor#command}), e.g. mariadbmon's switchover. Immutable.
 *
 * @param ok      the operation was performed (or had nothing to do)
 * @param message what was done, or why it was refused or failed
 */
public record CommandResult(boolean ok, String message) {

    public static CommandResult ok(String message) {
        return new CommandResult(true, message);
    }

    public static CommandResult error(String message) {
        return new CommandResult(false, message);
    }
}
