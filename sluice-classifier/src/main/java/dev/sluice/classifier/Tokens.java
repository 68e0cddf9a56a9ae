package dev.sluice.classifier;

import java.nio.charset.StandardCharsets;

/**
 * Read access to the lexer's tokens for the parsers, bounded by the end of the current statement: past the end
 * every token reads as a {@link TokenType#SEMICOLON}, so parsers can look ahead without bounds checks. Also turns
 * identifier tokens into names. Confined to the worker that owns the lexer.
 */
final class Tokens {
    private final SqlLexer lexer;
    /** Exclusive end of the current statement's tokens. */
    int end;

    Tokens(SqlLexer lexer) {
        this.lexer = lexer;
    }

    int count() {
        return lexer.count;
    }

    TokenType type(int i) {
        return i < end && i >= 0 ? lexer.types[i] : TokenType.SEMICOLON;
    }

    /** The keyword of an unquoted word, else {@link Keyword#NONE}. */
    Keyword kw(int i) {
        return i < end && i >= 0 && lexer.types[i] == TokenType.WORD ? lexer.keywords[i] : Keyword.NONE;
    }

    boolean isIdentifier(int i) {
        return i < end && i >= 0 && lexer.types[i].isIdentifier();
    }

    /** An identifier that can name an object: quoted, or a word that is not a reserved keyword. */
    boolean isName(int i) {
        if (i >= end || i < 0) {
            return false;
        }
        TokenType type = lexer.types[i];
        return type == TokenType.QUOTED_IDENT || (type == TokenType.WORD && !lexer.keywords[i].reserved);
    }

    int start(int i) {
        return lexer.starts[i];
    }

    int tokenEnd(int i) {
        return lexer.ends[i];
    }

    byte[] bytes() {
        return lexer.buf;
    }

    /** Case-insensitive comparison of a word token with a lower-case ASCII word. */
    boolean wordIs(int i, String lower) {
        if (i >= end || i < 0 || lexer.types[i] != TokenType.WORD) {
            return false;
        }
        return Names.equalsLowerAscii(lexer.buf, lexer.starts[i], lexer.ends[i], lower);
    }

    /** The name an identifier token spells, without quotes. */
    String name(int i) {
        return Names.identifier(lexer.buf, lexer.starts[i], lexer.ends[i], lexer.types[i]);
    }

    /** The raw text of a token. */
    String text(int i) {
        return new String(lexer.buf, lexer.starts[i], lexer.ends[i] - lexer.starts[i], StandardCharsets.UTF_8);
    }

    /** The first {@code ,} at parenthesis depth 0 in {@code [from, to)}, or {@code to}. */
    int topLevelComma(int from, int to) {
        return topLevel(from, to, TokenType.COMMA, Keyword.NONE);
    }

    /** The first word {@code keyword} at parenthesis depth 0 in {@code [from, to)}, or {@code to}. */
    int topLevelKeyword(int from, int to, Keyword keyword) {
        return topLevel(from, to, TokenType.WORD, keyword);
    }

    private int topLevel(int from, int to, TokenType type, Keyword keyword) {
        int depth = 0;
        for (int j = from; j < to; j++) {
            TokenType found = type(j);
            if (found == TokenType.LPAREN) {
                depth++;
            } else if (found == TokenType.RPAREN) {
                depth--;
            } else if (depth <= 0 && found == type && (keyword == Keyword.NONE || kw(j) == keyword)) {
                return j;
            }
        }
        return to;
    }

    /** The index after the {@code )} matching the {@code (} at {@code i} (or the statement end). */
    int skipParens(int i) {
        int depth = 0;
        for (int j = i; j < end; j++) {
            TokenType type = lexer.types[j];
            if (type == TokenType.LPAREN) {
                depth++;
            } else if (type == TokenType.RPAREN && --depth <= 0) {
                return j + 1;
            }
        }
        return end;
    }
}
