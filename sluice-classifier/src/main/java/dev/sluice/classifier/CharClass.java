package dev.sluice.classifier;

/**
 * The lexer's view of a byte. A 256-entry table indexed by the unsigned byte keeps the lexer's dispatch to one
 * array load; bytes of multi-byte UTF-8 sequences (and any other byte above 0x7F) count as identifier bytes, so
 * invalid UTF-8 lexes like an identifier and never stops the scan.
 */
enum CharClass {
    SPACE, IDENT, DIGIT, QUOTE, DOUBLE_QUOTE, BACKTICK, AT, HASH, MINUS, SLASH, DOT, COMMA, SEMICOLON, LPAREN,
    RPAREN, EQUALS, COLON, QUESTION, OTHER;

    private static final CharClass[] TABLE = new CharClass[256];

    static {
        for (int b = 0; b < 256; b++) {
            TABLE[b] = classify(b);
        }
    }

    private static CharClass classify(int b) {
        if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0B) {
            return SPACE;
        }
        if (b >= '0' && b <= '9') {
            return DIGIT;
        }
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' || b == '$' || b >= 0x80) {
            return IDENT;
        }
        return switch (b) {
            case '\'' -> QUOTE;
            case '"' -> DOUBLE_QUOTE;
            case '`' -> BACKTICK;
            case '@' -> AT;
            case '#' -> HASH;
            case '-' -> MINUS;
            case '/' -> SLASH;
            case '.' -> DOT;
            case ',' -> COMMA;
            case ';' -> SEMICOLON;
            case '(' -> LPAREN;
            case ')' -> RPAREN;
            case '=' -> EQUALS;
            case ':' -> COLON;
            case '?' -> QUESTION;
            default -> OTHER;
        };
    }

    static CharClass of(byte b) {
        return TABLE[b & 0xFF];
    }

    /** Identifier bytes: letters, digits, {@code _}, {@code $} and every byte above 0x7F. */
    static boolean isIdentPart(byte b) {
        CharClass c = TABLE[b & 0xFF];
        return c == IDENT || c == DIGIT;
    }
}
