package dev.sluice.modules.regexfilter;

import dev.sluice.api.filter.FilterParameterException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code replace} value in PCRE2's substitution syntax, parsed once: {@code $n} and {@code ${n}} insert group
 * n, {@code $name} and {@code ${name}} a named group, {@code $$} a dollar sign; everything else, backslashes
 * included, is literal. Immutable.
 */
final class Replacement {
    private sealed interface Part permits Literal, Group, NamedGroup {
    }

    private record Literal(String text) implements Part {
    }

    private record Group(int number) implements Part {
    }

    private record NamedGroup(String name) implements Part {
    }

    private final List<Part> parts;

    private Replacement(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses {@code replace} for {@code pattern}.
     *
     * @throws FilterParameterException (naming {@code parameter}) for a reference to a group the pattern lacks
     *                                  or a lone {@code $}
     */
    static Replacement parse(String replace, Pattern pattern, String parameter) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < replace.length()) {
            char c = replace.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 < replace.length() && replace.charAt(i + 1) == '$') {
                literal.append('$');
                i += 2;
                continue;
            }
            int start = i + 1;
            boolean braced = start < replace.length() && replace.charAt(start) == '{';
            int from = braced ? start + 1 : start;
            int end = from;
            while (end < replace.length() && (Character.isLetterOrDigit(replace.charAt(end))
                    || replace.charAt(end) == '_')
                    && (braced || Character.isDigit(replace.charAt(from)) == Character.isDigit(replace.charAt(end)))) {
                end++;
            }
            String ref = replace.substring(from, end);
            if (ref.isEmpty() || (braced && (end >= replace.length() || replace.charAt(end) != '}'))) {
                throw new FilterParameterException(parameter, "'" + replace + "': '$' at offset " + i
                        + " is not followed by a group (expected: $1, ${1}, $name, ${name} or $$)");
            }
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            parts.add(group(ref, pattern, replace, parameter));
            i = braced ? end + 1 : end;
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new Replacement(parts);
    }

    private static Part group(String ref, Pattern pattern, String replace, String parameter) {
        if (Character.isDigit(ref.charAt(0))) {
            int n;
            try {
                n = Integer.parseInt(ref);
            } catch (NumberFormatException e) {
                n = Integer.MAX_VALUE;
            }
            int groups = pattern.matcher("").groupCount();
            if (n > groups) {
                throw new FilterParameterException(parameter, "'" + replace + "' refers to group " + ref
                        + " but the pattern has " + groups + " group" + (groups == 1 ? "" : "s"));
            }
            return new Group(n);
        }
        if (!pattern.pattern().contains("(?<" + ref + ">")) {
            throw new FilterParameterException(parameter, "'" + replace + "' refers to group '" + ref
                    + "' but the pattern has no group of that name");
        }
        return new NamedGroup(ref);
    }

    /** {@code text} with every match of {@code pattern} replaced, or null when nothing matches. */
    String replaceAll(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        do {
            m.appendReplacement(out, Matcher.quoteReplacement(expand(m)));
        } while (m.find());
        return m.appendTail(out).toString();
    }

    private String expand(Matcher match) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            String s;
            if (p instanceof Literal l) {
                s = l.text();
            } else if (p instanceof Group g) {
                s = match.group(g.number());
            } else {
                s = match.group(((NamedGroup) p).name());
            }
            if (s != null) {
                out.append(s);
            }
        }
        return out.toString();
    }
}
