package dev.sluice.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLexerTest {
    private final SqlLexer lexer = new SqlLexer();

    private List<String> tokens(String sql, boolean ansiQuotes, boolean noBackslashEscapes, int version) {
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        lexer.lex(bytes, 0, bytes.length, ansiQuotes, noBackslashEscapes, version);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lexer.count; i++) {
            String text = new String(bytes, lexer.starts[i], lexer.ends[i] - lexer.starts[i], StandardCharsets.UTF_8);
            out.add(lexer.types[i] + ":" + text);
        }
        return out;
    }

    private List<String> tokens(String sql) {
        return tokens(sql, false, false, 999999);
    }

    private String canonical() {
        return new String(lexer.canonical, 0, lexer.canonicalLength, StandardCharsets.UTF_8);
    }

    @Test
    void wordsCarryTheirKeywordInAnyCase() {
        byte[] sql = "select Select FROM frommage".getBytes(StandardCharsets.UTF_8);
        lexer.lex(sql, 0, sql.length, false, false, 999999);
        assertThat(lexer.keywords[0]).isEqualTo(Keyword.SELECT);
        assertThat(lexer.keywords[1]).isEqualTo(Keyword.SELECT);
        assertThat(lexer.keywords[2]).isEqualTo(Keyword.FROM);
        assertThat(lexer.keywords[3]).isEqualTo(Keyword.NONE);
    }

    @Test
    void stringsHonourBackslashEscapesAndDoubledQuotes() {
        assertThat(tokens("'a\\'b' 'c''d' x")).containsExactly("STRING:'a\\'b' 'c''d'", "WORD:x");
        assertThat(tokens("'a\\' x", false, true, 999999)).containsExactly("STRING:'a\\'", "WORD:x");
    }

    @Test
    void doubleQuotesAreIdentifiersOnlyUnderAnsiQuotes() {
        assertThat(tokens("\"x\"")).containsExactly("STRING:\"x\"");
        assertThat(tokens("\"x\"", true, false, 999999)).containsExactly("QUOTED_IDENT:\"x\"");
    }

    @Test
    void introducersAndPrefixedLiteralsAreOneLiteral() {
        assertThat(tokens("_utf8mb4'a' _latin1 'b' N'c' X'0F' b'1' 0x1F 0b01"))
                .containsExactly("STRING:_utf8mb4'a'", "STRING:_latin1 'b'", "STRING:N'c'", "STRING:X'0F'",
                        "STRING:b'1'", "NUMBER:0x1F", "NUMBER:0b01");
    }

    @Test
    void identifiersMayStartWithDigits() {
        assertThat(tokens("1abc 0x1G 12 1e5 1.5 .5")).containsExactly("WORD:1abc", "WORD:0x1G", "NUMBER:12",
                "NUMBER:1e5", "NUMBER:1.5", "NUMBER:.5");
        assertThat(tokens("t.5x")).containsExactly("WORD:t", "DOT:.", "WORD:5x");
    }

    @Test
    void variablesAndAccountNames() {
        assertThat(tokens("@a @'b c' @@session.autocommit")).containsExactly("USER_VAR:@a", "USER_VAR:@'b c'",
                "SYS_VAR:@@session.autocommit");
        assertThat(tokens("'u'@'h'")).containsExactly("STRING:'u'", "OPERATOR:@", "STRING:'h'");
    }

    @Test
    void doubleDashNeedsWhiteSpaceToStartAComment() {
        assertThat(tokens("1--1")).containsExactly("NUMBER:1", "OPERATOR:-", "OPERATOR:-", "NUMBER:1");
        assertThat(tokens("1-- 1\n2")).containsExactly("NUMBER:1", "NUMBER:2");
        assertThat(tokens("1 --")).containsExactly("NUMBER:1");
    }

    @Test
    void executableCommentsRunUpToTheServerVersion() {
        assertThat(tokens("/*!50700 a */ /*M!100500 b */ /*! c */", false, false, 100400))
                .containsExactly("WORD:a", "WORD:c");
        assertThat(tokens("/*!50700 a */ /*M!100500 b */", false, false, 100500))
                .containsExactly("WORD:a", "WORD:b");
        assertThat(canonical()).isEqualTo("a b");
    }

    @Test
    void unterminatedConstructsRunToTheEnd() {
        assertThat(tokens("a 'x")).containsExactly("WORD:a", "STRING:'x");
        assertThat(tokens("a `x")).containsExactly("WORD:a", "QUOTED_IDENT:`x");
        assertThat(tokens("a /* x")).containsExactly("WORD:a");
        assertThat(tokens("a /*! b")).containsExactly("WORD:a", "WORD:b");
        assertThat(tokens("a '\\")).containsExactly("WORD:a", "STRING:'\\");
    }

    @Test
    void canonicalFoldsGapsAndReplacesLiterals() {
        tokens("  SELECT\t a ,'x' /* c */ -- d\n FROM t WHERE b IN (1, 2.5, 'y' 'z')  ");
        assertThat(canonical()).isEqualTo("SELECT a ,? FROM t WHERE b IN (?, ?, ?)");
    }

    @Test
    void canonicalNeverEndsInADoubleDashThatWouldReadBackAsAComment() {
        tokens("a --/* c */");
        assertThat(canonical()).isEqualTo("a - -");
        tokens("a --/* c */ b");
        assertThat(canonical()).isEqualTo("a --b");
    }

    @Test
    void hintCommentsAreRemembered() {
        tokens("SELECT 1 /* maxscale route to master */ -- sluice route to slave\n # other");
        assertThat(lexer.hintCommentCount).isEqualTo(2);
    }

    @Test
    void invalidUtf8LexesAsIdentifierBytes() {
        byte[] sql = {'S', 'E', 'L', 'E', 'C', 'T', ' ', (byte) 0xFF, (byte) 0xC3, '(', ')'};
        lexer.lex(sql, 0, sql.length, false, false, 999999);
        assertThat(lexer.count).isEqualTo(4);
        assertThat(lexer.types[1]).isEqualTo(TokenType.WORD);
    }
}
