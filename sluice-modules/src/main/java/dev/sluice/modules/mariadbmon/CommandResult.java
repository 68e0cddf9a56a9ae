package dev.sluice.modules.mariadbmon;

/**
 * The outcome of a {@code mariadbmon} command ({@link MariaDbMonitor#command}). Immutable.
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
