package dev.sluice.classifier;

import dev.sluice.api.query.QueryContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * One line of a golden file: a statement, the context to classify it in, and the expected values. The statement
 * and canonical columns use {@code \t \n \r \\ \xHH} escapes (any other backslash is
 * itself) so that any byte string fits on one line.
 */
record GoldenCase(String file, int line, byte[] statement, QueryContext context, String types, String operation,
                  String tables, String hints, String canonical, String extra) {

    String where() {
        return file + ":" + line;
    }

    /** Parses a {@code #!} directive into the context for the following lines. */
    static QueryContext directive(String text) {
        QueryContext context = QueryContext.DEFAULT;
        for (String word : text.substring(2).trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (word.equals("ansi_quotes")) {
                context = context.withSqlMode(true, context.noBackslashEscapes());
            } else if (word.equals("no_backslash_escapes")) {
                context = context.withSqlMode(context.ansiQuotes(), true);
            } else if (word.startsWith("version=")) {
                context = context.withServerVersion(Integer.parseInt(word.substring(8)));
            } else if (word.startsWith("temp=")) {
                Set<String> tables = new HashSet<>(Arrays.asList(word.substring(5).split(",")));
                context = context.withTemporaryTables(tables);
            } else {
                throw new IllegalArgumentException("golden directive: " + word);
            }
        }
        return context;
    }

    static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                plain.append(c);
                continue;
            }
            out.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
            plain.setLength(0);
            char e = text.charAt(++i);
            switch (e) {
                case 't' -> out.write('\t');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> {
                    // Not an escape of the file format: a backslash of the SQL text itself.
                    out.write('\\');
                    out.writeBytes(String.valueOf(e).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        out.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
