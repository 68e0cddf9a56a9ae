package dev.sluice.server.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of a cluster's accounts, database grants and databases: what the server would use
 * to decide whether {@code user@host} may log in and use a default database. Shared by all workers.
 */
public final class UserAccounts {
    public static final UserAccounts EMPTY = new UserAccounts(List.of(), Map.of(), Set.of(), 0);

    private final List<UserAccount> accounts;
    private final Map<String, List<String>> dbGrants;
    private final Set<String> databases;
    private final long loadedAtNanos;

    /**
     * @param dbGrants {@code user@host} (or a role name) to the database patterns granted to it
     */
    public UserAccounts(List<UserAccount> accounts, Map<String, List<String>> dbGrants, Set<String> databases,
                        long loadedAtNanos) {
        List<UserAccount> sorted = new ArrayList<>(accounts);
        // the server's order: most specific host first, then named users before the anonymous one
        sorted.sort(Comparator.comparingInt((UserAccount a) -> -a.hostPattern().specificity())
                .thenComparingInt(a -> -a.hostPattern().literalPrefix())
                .thenComparing(a -> a.user().isEmpty()));
        this.accounts = List.copyOf(sorted);
        this.dbGrants = Map.copyOf(dbGrants);
        this.databases = Set.copyOf(databases);
        this.loadedAtNanos = loadedAtNanos;
    }

    public boolean isLoaded() {
        return loadedAtNanos != 0;
    }

    /** The accounts in the order the server matches them (most specific host first). */
    public List<UserAccount> accounts() {
        return accounts;
    }

    public int size() {
        return accounts.size();
    }

    /** The account the server would pick for this user and client address, or null. */
    public UserAccount find(String user, String clientHost, boolean skipNameResolve) {
        for (UserAccount a : accounts) {
            if (a.isRole()) {
                continue;
            }
            if ((a.user().equals(user) || a.user().isEmpty()) && a.hostPattern().matches(clientHost, skipNameResolve)) {
                return a;
            }
        }
        return null;
    }

    public boolean databaseExists(String db) {
        return databases.contains(db);
    }

    /** Whether the account (or one of its roles) has any privilege on {@code db}. */
    public boolean mayUseDatabase(UserAccount account, String db) {
        if (account.globalDbAccess()) {
            return true;
        }
        if (grantMatches(dbGrants.get(account.user() + "@" + account.host()), db)) {
            return true;
        }
        for (String role : account.roles()) {
            if (grantMatches(dbGrants.get(role + "@"), db)) {
                return true;
            }
            for (UserAccount r : accounts) {
                if (r.isRole() && r.user().equals(role) && r.globalDbAccess()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean grantMatches(List<String> patterns, String db) {
        if (patterns == null) {
            return false;
        }
        for (String p : patterns) {
            if (DatabasePattern.matches(p, db)) {
                return true;
            }
        }
        return false;
    }
}
