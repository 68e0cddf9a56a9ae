package dev.sluice.classifier;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a multi-statement text into its statements with the classifier's lexer and statement boundaries: a
 * {@code ;} inside a string, a quoted name, a comment or a stored program's body does not end a statement.
 * Comments before a statement stay with it (they may be hints). Used by the admin API's query resource, which
 * runs the statements one by one so that the results before a failing one are kept. Stateless; each call lexes
 * with its own lexer.
 */
public final class StatementSplitter {
    /** Executable comments ({@code /*!NNNNN ... *&#47;}) of every version count as code, as a server runs them. */
    private static final int ANY_VERSION = 999_999;

    private StatementSplitter() {
    }

    /** The statements of {@code sql}, each stripped of surrounding blanks and its {@code ;}; none for blank text. */
    public static List<String> split(String sql) {
        byte[] b = sql.getBytes(StandardCharsets.UTF_8);
        SqlLexer lexer = new SqlLexer();
        lexer.lex(b, 0, b.length, false, false, ANY_VERSION);
        Tokens tokens = new Tokens(lexer);
        List<String> out = new ArrayList<>();
        int count = lexer.count;
        int textStart = 0;
        int i = 0;
        while (i < count) {
            if (lexer.types[i] == TokenType.SEMICOLON) {
                textStart = lexer.ends[i];
                i++;
                continue;
            }
            tokens.end = count;
            int end = StatementBoundary.end(tokens, i);
            int textEnd = end < count ? lexer.starts[end] : b.length;
            out.add(new String(b, textStart, textEnd - textStart, StandardCharsets.UTF_8).strip());
            textStart = end < count ? lexer.ends[end] : b.length;
            i = end + 1;
        }
        return out;
    }
}
