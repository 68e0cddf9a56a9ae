package dev.sluice.classifier;

/** The lexical class of one token. Comments and white space produce no tokens. */
enum TokenType {
    /** An unquoted identifier or keyword (see {@link Keyword}). */
    WORD,
    /** A backtick identifier, or a double-quoted one under ANSI_QUOTES. */
    QUOTED_IDENT,
    /** A string literal, with its {@code _charset} or {@code N} introducer and any adjacent string literals. */
    STRING,
    /** A number, hexadecimal ({@code 0x1F}, {@code X'1F'}) or bit ({@code 0b01}, {@code b'01'}) literal. */
    NUMBER,
    /** A {@code ?} placeholder. */
    PARAM,
    /** {@code @name}, {@code @'name'}, {@code @`name`}. */
    USER_VAR,
    /** {@code @@name}, {@code @@session.name}, {@code @@global.name}. */
    SYS_VAR,
    LPAREN,
    RPAREN,
    COMMA,
    SEMICOLON,
    DOT,
    /** {@code =} */
    EQUALS,
    /** {@code :=} */
    ASSIGN,
    /** {@code :} (labels) */
    COLON,
    /** Any other single byte: operators, stray control bytes. */
    OPERATOR;

    boolean isLiteral() {
        return this == STRING || this == NUMBER;
    }

    boolean isIdentifier() {
        return this == WORD || this == QUOTED_IDENT;
    }
}
