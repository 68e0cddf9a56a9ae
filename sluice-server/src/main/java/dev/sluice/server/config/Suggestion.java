package dev.sluice.server.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …": the known name closest to a misspelt one, offered only when it is plausibly a typo. */
final class Suggestion {
    private Suggestion() {
    }

    /** The closest candidate by edit distance (ignoring case), if within about a quarter of the length. */
    static Optional<String> closest(String typo, Collection<String> candidates) {
        String lowerTypo = typo.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(lowerTypo, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, typo.length() / 4);
        return best != null && bestDistance <= allowed && bestDistance < typo.length() ? Optional.of(best)
                : Optional.empty();
    }

    /** " (did you mean x?)" or "". */
    static String didYouMean(String typo, Collection<String> candidates) {
        return closest(typo, candidates).map(s -> " (did you mean " + s + "?)").orElse("");
    }

    /** Levenshtein distance with adjacent transpositions counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
