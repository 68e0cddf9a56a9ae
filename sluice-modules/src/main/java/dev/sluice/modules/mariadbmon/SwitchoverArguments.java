package dev.sluice.modules.mariadbmon;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MaxScale's key-value form of {@code switchover} (24.08): {@code new_primary=}, {@code old_primary=},
 * {@code async=}, {@code force=}, {@code old_primary_maint=}, turned into the positional command it stands for
 * ({@code switchover}, {@code switchover-force}, their {@code async-} forms) and the maintenance flag. Immutable.
 *
 * @param command               the positional command name
 * @param positional            {@code [NEW_PRIMARY, OLD_PRIMARY]}, empty strings for "choose"
 * @param oldPrimaryMaintenance {@code old_primary_maint}
 */
record SwitchoverArguments(String command, List<String> positional, boolean oldPrimaryMaintenance) {

    /**
     * @param name the command called ({@code switchover}, {@code async-switchover}, …)
     * @throws IllegalArgumentException naming the argument that is not {@code key=value} or not known
     */
    static SwitchoverArguments parse(String name, List<String> args) {
        String newPrimary = "";
        String oldPrimary = "";
        boolean async = name.startsWith("async-");
        boolean force = name.endsWith("-force");
        boolean maintenance = false;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(name + ": '" + arg + "' is not key=value (keys: new_primary,"
                        + " old_primary, async, force, old_primary_maint)");
            }
            String key = arg.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = arg.substring(eq + 1).trim();
            switch (key) {
                case "new_primary" -> newPrimary = value;
                case "old_primary" -> oldPrimary = value;
                case "async" -> async = truth(name, key, value);
                case "force" -> force = truth(name, key, value);
                case "old_primary_maint" -> maintenance = truth(name, key, value);
                default -> throw new IllegalArgumentException(name + ": unknown argument '" + key
                        + "' (known: new_primary, old_primary, async, force, old_primary_maint)");
            }
        }
        String command = (async ? "async-" : "") + (force ? "switchover-force" : "switchover");
        List<String> positional = new ArrayList<>(List.of(newPrimary, oldPrimary));
        return new SwitchoverArguments(command, List.copyOf(positional), maintenance);
    }

    private static boolean truth(String name, String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + ": " + key + "=" + value
                    + " is not a boolean (expected: 1, 0, true, false, yes, no, on, off)");
        };
    }
}
