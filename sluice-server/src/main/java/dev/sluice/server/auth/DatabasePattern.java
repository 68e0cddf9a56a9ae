package dev.sluice.server.auth;

/**
 * Matching of database names against the patterns of {@code mysql.db}: LIKE syntax where {@code %} and
 * {@code _} are wildcards and {@code \%}, {@code \_} stand for the literal characters.
 */
final class DatabasePattern {
    private DatabasePattern() {
    }

    static boolean matches(String pattern, String db) {
        return match(pattern, 0, db, 0, 0);
    }

    private static boolean match(String p, int pi, String s, int si, int depth) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '%') {
                if (depth > 8) {
                    return false; // patterns with this many % do not occur in grants; stay linear
                }
                for (int k = si; k <= s.length(); k++) {
                    if (match(p, pi + 1, s, k, depth + 1)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length()) {
                return false;
            }
            if (c == '\\' && pi + 1 < p.length()) {
                if (p.charAt(pi + 1) != s.charAt(si)) {
                    return false;
                }
                pi += 2;
            } else if (c == '_' || c == s.charAt(si)) {
                pi++;
            } else {
                return false;
            }
            si++;
        }
        return si == s.length();
    }
}
