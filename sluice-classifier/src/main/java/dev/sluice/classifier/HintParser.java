package dev.sluice.classifier;

import dev.sluice.api.query.Hint;
import dev.sluice.api.query.HintAction;
import dev.sluice.api.query.HintType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads routing hints from the body of a comment that starts with {@code maxscale} or {@code sluice}, in
 * MaxScale's hintfilter syntax:
 *
 * <pre>
 * route to master | route to slave | route to last | route to server NAME
 * PARAM=VALUE
 * begin CONTENT          push an anonymous hint
 * NAME begin [CONTENT]   push the hint prepared as NAME (or define and push it)
 * NAME prepare CONTENT   define a named hint
 * end                    pop
 * </pre>
 *
 * A comment that does not parse is ignored, as MaxScale does. Hints are rare, so this allocates freely; it runs
 * only for comments the lexer flagged. Stateless.
 */
final class HintParser {
    private HintParser() {
    }

    /** Parses one comment body {@code buf[start, end)} (starting at the prefix word); adds hints to {@code out}. */
    static void parse(byte[] buf, int start, int end, List<Hint> out) {
        List<String> words = words(buf, start, end);
        if (words.size() < 2) {
            return;
        }
        Hint hint = hint(words);
        if (hint != null) {
            out.add(hint);
        }
    }

    private static Hint hint(List<String> w) {
        String first = w.get(1);
        if (first.equalsIgnoreCase("end") && w.size() == 2) {
            return new Hint(HintAction.END, "", HintType.NONE, "", "");
        }
        if (first.equalsIgnoreCase("begin")) {
            Hint content = content(w, 2);
            return content == null ? null : new Hint(HintAction.BEGIN, "", content.type(), content.name(),
                    content.value());
        }
        if (w.size() >= 3 && w.get(2).equalsIgnoreCase("begin") && !first.equalsIgnoreCase("route")) {
            if (w.size() == 3) {
                return new Hint(HintAction.BEGIN, first, HintType.NONE, "", "");
            }
            Hint content = content(w, 3);
            return content == null ? null : new Hint(HintAction.BEGIN, first, content.type(), content.name(),
                    content.value());
        }
        if (w.size() >= 3 && w.get(2).equalsIgnoreCase("prepare")) {
            Hint content = content(w, 3);
            return content == null ? null : new Hint(HintAction.PREPARE, first, content.type(), content.name(),
                    content.value());
        }
        return content(w, 1);
    }

    /** The hint content starting at word {@code k} and ending the comment, or null. */
    private static Hint content(List<String> w, int k) {
        int n = w.size() - k;
        if (n >= 3 && w.get(k).equalsIgnoreCase("route") && w.get(k + 1).equalsIgnoreCase("to")) {
            String target = w.get(k + 2);
            if (n == 3 && target.equalsIgnoreCase("master")) {
                return Hint.apply(HintType.ROUTE_TO_MASTER, "", "");
            }
            if (n == 3 && target.equalsIgnoreCase("slave")) {
                return Hint.apply(HintType.ROUTE_TO_SLAVE, "", "");
            }
            if (n == 3 && target.equalsIgnoreCase("last")) {
                return Hint.apply(HintType.ROUTE_TO_LAST_USED, "", "");
            }
            if (n == 4 && target.equalsIgnoreCase("server")) {
                return Hint.apply(HintType.ROUTE_TO_NAMED_SERVER, w.get(k + 3), "");
            }
            return null;
        }
        if (n == 3 && w.get(k + 1).equals("=") && !w.get(k).equals("=") && !w.get(k + 2).equals("=")) {
            return Hint.apply(HintType.PARAMETER, w.get(k), w.get(k + 2));
        }
        return null;
    }

    /** Splits on white space; {@code =} is a word of its own. */
    private static List<String> words(byte[] buf, int start, int end) {
        List<String> words = new ArrayList<>(6);
        int p = start;
        while (p < end) {
            byte b = buf[p];
            if (CharClass.of(b) == CharClass.SPACE) {
                p++;
            } else if (b == '=') {
                words.add("=");
                p++;
            } else {
                int wordStart = p;
                while (p < end && CharClass.of(buf[p]) != CharClass.SPACE && buf[p] != '=') {
                    p++;
                }
                words.add(new String(buf, wordStart, p - wordStart, StandardCharsets.UTF_8));
            }
        }
        return words;
    }
}
