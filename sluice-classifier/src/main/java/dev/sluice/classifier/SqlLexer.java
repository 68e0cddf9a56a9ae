package dev.sluice.classifier;

import java.util.Arrays;

/**
 * Splits the bytes of a COM_QUERY into tokens in one left-to-right pass, and writes the canonical form and the
 * positions of hint comments on the way. MariaDB dialect: backtick and (under ANSI_QUOTES) double-quoted
 * identifiers, strings with backslash escapes (unless NO_BACKSLASH_ESCAPES) and doubled quotes, {@code _charset}
 * and {@code N} introducers, hexadecimal and bit literals, identifiers that begin with digits, {@code #}, {@code --
 * } and {@code /* *&#47;} comments, and executable comments {@code /*! *&#47;}, {@code /*!50700 *&#47;},
 * {@code /*M!100500 *&#47;} whose body is lexed when its version is not above the server's.
 *
 * <p>Every byte is looked at a bounded number of times, so the cost is linear in the input; an unterminated
 * string, identifier or comment simply runs to the end of the input. The lexer never throws.
 *
 * <p>Thread rules: an instance keeps its token arrays between calls to avoid allocation, so it is confined to one
 * worker (or one thread); its results are valid until the next {@link #lex} call.
 */
final class SqlLexer {
    /** Whether the bytes being read are plain text or the body of an executed {@code /*! ... *&#47;} comment. */
    private enum Mode { NORMAL, EXECUTABLE_COMMENT }

    // Token arrays, reused between calls; confined to the owning worker.
    TokenType[] types = new TokenType[64];
    Keyword[] keywords = new Keyword[64];
    int[] starts = new int[64];
    int[] ends = new int[64];
    int count;

    // Canonical form bytes; reused.
    byte[] canonical = new byte[256];
    int canonicalLength;

    // [start, end) pairs of comment bodies that start with "maxscale" or "sluice".
    int[] hintComments = new int[8];
    int hintCommentCount;

    byte[] buf;
    private int limit;
    private boolean ansiQuotes;
    private boolean noBackslashEscapes;
    private int serverVersion;
    private Mode mode;
    /** A comment or white space came since the last token: the canonical form needs a space. */
    private boolean gap;

    /** Lexes {@code buf[offset, offset + length)}; results are in the public fields until the next call. */
    void lex(byte[] buf, int offset, int length, boolean ansiQuotes, boolean noBackslashEscapes, int serverVersion) {
        this.buf = buf;
        this.limit = offset + length;
        this.ansiQuotes = ansiQuotes;
        this.noBackslashEscapes = noBackslashEscapes;
        this.serverVersion = serverVersion;
        this.mode = Mode.NORMAL;
        this.gap = false;
        count = 0;
        canonicalLength = 0;
        hintCommentCount = 0;
        if (canonical.length < length + 16) {
            canonical = new byte[Math.max(length + 16, canonical.length * 2)];
        }
        int p = offset;
        while (p < limit) {
            p = next(p);
        }
        if (endsWithDoubleDash()) {
            splitDoubleDash();
        }
    }

    /** Lexes the token, comment or white space at {@code p}; returns the position after it. */
    private int next(int p) {
        byte b = buf[p];
        switch (CharClass.of(b)) {
            case SPACE:
                gap = true;
                return p + 1;
            case IDENT:
                return word(p);
            case DIGIT:
                return number(p);
            case QUOTE:
                return string(p, p, b);
            case DOUBLE_QUOTE:
                return ansiQuotes ? quotedIdentifier(p, b) : string(p, p, b);
            case BACKTICK:
                return quotedIdentifier(p, b);
            case AT:
                return variable(p);
            case HASH:
                return lineComment(p, p + 1);
            case MINUS:
                if (p + 1 < limit && buf[p + 1] == '-' && (p + 2 == limit || (buf[p + 2] & 0xFF) <= ' ')) {
                    return lineComment(p, p + 2);
                }
                return single(p, TokenType.OPERATOR);
            case SLASH:
                if (p + 1 < limit && buf[p + 1] == '*') {
                    return blockComment(p);
                }
                return single(p, TokenType.OPERATOR);
            case DOT:
                if (p + 1 < limit && CharClass.of(buf[p + 1]) == CharClass.DIGIT && !followsIdentifier(p)) {
                    return number(p);
                }
                return single(p, TokenType.DOT);
            case COMMA:
                return single(p, TokenType.COMMA);
            case SEMICOLON:
                return single(p, TokenType.SEMICOLON);
            case LPAREN:
                return single(p, TokenType.LPAREN);
            case RPAREN:
                return single(p, TokenType.RPAREN);
            case EQUALS:
                return single(p, TokenType.EQUALS);
            case COLON:
                if (p + 1 < limit && buf[p + 1] == '=') {
                    add(TokenType.ASSIGN, Keyword.NONE, p, p + 2, false);
                    return p + 2;
                }
                return single(p, TokenType.COLON);
            case QUESTION:
                return single(p, TokenType.PARAM);
            default:
                if (b == '*' && mode == Mode.EXECUTABLE_COMMENT && p + 1 < limit && buf[p + 1] == '/') {
                    mode = Mode.NORMAL;
                    gap = true;
                    return p + 2;
                }
                return single(p, TokenType.OPERATOR);
        }
    }

    private boolean followsIdentifier(int p) {
        return count > 0 && ends[count - 1] == p && types[count - 1].isIdentifier();
    }

    private int single(int p, TokenType type) {
        add(type, Keyword.NONE, p, p + 1, false);
        return p + 1;
    }

    private int word(int start) {
        int p = start;
        int hash = 0;
        while (p < limit && CharClass.isIdentPart(buf[p])) {
            hash = KeywordTable.step(hash, buf[p]);
            p++;
        }
        int length = p - start;
        if (p < limit && buf[p] == '\'') {
            byte first = buf[start];
            if (length == 1 && (first == 'n' || first == 'N' || first == 'x' || first == 'X' || first == 'b'
                    || first == 'B')) {
                return string(start, p, (byte) '\'');
            }
        }
        if (length > 1 && buf[start] == '_') {
            int quote = skipSpaces(p);
            if (quote < limit && (buf[quote] == '\'' || (buf[quote] == '"' && !ansiQuotes))) {
                return string(start, quote, buf[quote]);
            }
        }
        add(TokenType.WORD, KeywordTable.lookup(buf, start, p, hash), start, p, false);
        return p;
    }

    private int skipSpaces(int p) {
        while (p < limit && CharClass.of(buf[p]) == CharClass.SPACE) {
            p++;
        }
        return p;
    }

    private int number(int start) {
        int p = start;
        if (buf[p] == '0' && p + 2 < limit && (buf[p + 1] == 'x' || buf[p + 1] == 'X' || buf[p + 1] == 'b'
                || buf[p + 1] == 'B')) {
            boolean hex = buf[p + 1] == 'x' || buf[p + 1] == 'X';
            int q = p + 2;
            while (q < limit && (hex ? isHexDigit(buf[q]) : (buf[q] == '0' || buf[q] == '1'))) {
                q++;
            }
            if (q > p + 2 && (q == limit || !CharClass.isIdentPart(buf[q]))) {
                add(TokenType.NUMBER, Keyword.NONE, start, q, true);
                return q;
            }
        }
        p = digits(p);
        boolean fraction = false;
        if (p < limit && buf[p] == '.') {
            fraction = true;
            p = digits(p + 1);
        }
        if (p < limit && (buf[p] == 'e' || buf[p] == 'E')) {
            int q = p + 1;
            if (q < limit && (buf[q] == '+' || buf[q] == '-')) {
                q++;
            }
            if (q < limit && CharClass.of(buf[q]) == CharClass.DIGIT) {
                fraction = true;
                p = digits(q);
            }
        }
        if (!fraction && p < limit && CharClass.isIdentPart(buf[p])) {
            return word(start);
        }
        add(TokenType.NUMBER, Keyword.NONE, start, p, true);
        return p;
    }

    private int digits(int p) {
        while (p < limit && CharClass.of(buf[p]) == CharClass.DIGIT) {
            p++;
        }
        return p;
    }

    private static boolean isHexDigit(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    /** A string literal whose opening quote is at {@code quote}; {@code start} includes any introducer. */
    private int string(int start, int quote, byte quoteByte) {
        int end = skipQuoted(quote + 1, quoteByte, !noBackslashEscapes);
        if (count > 0 && types[count - 1] == TokenType.STRING && buf[start] == quoteByte) {
            // 'a' 'b' is one literal in MariaDB: extend the previous token, the canonical form already has its ?.
            ends[count - 1] = end;
            gap = false;
            return end;
        }
        add(TokenType.STRING, Keyword.NONE, start, end, true);
        return end;
    }

    private int quotedIdentifier(int start, byte quoteByte) {
        int end = skipQuoted(start + 1, quoteByte, false);
        add(TokenType.QUOTED_IDENT, Keyword.NONE, start, end, false);
        return end;
    }

    /** The position after the closing quote that matches an opening one before {@code p}, or the limit. */
    private int skipQuoted(int p, byte quoteByte, boolean backslashEscapes) {
        while (p < limit) {
            byte b = buf[p];
            if (b == '\\' && backslashEscapes) {
                p += 2;
            } else if (b == quoteByte) {
                if (p + 1 < limit && buf[p + 1] == quoteByte) {
                    p += 2;
                } else {
                    return p + 1;
                }
            } else {
                p++;
            }
        }
        return limit;
    }

    private int variable(int start) {
        if (count > 0 && ends[count - 1] == start && (types[count - 1] == TokenType.STRING
                || types[count - 1].isIdentifier())) {
            // 'user'@'host', user@host, `user`@`host`: an account name, not a variable.
            return single(start, TokenType.OPERATOR);
        }
        int p = start + 1;
        TokenType type = TokenType.USER_VAR;
        if (p < limit && buf[p] == '@') {
            type = TokenType.SYS_VAR;
            p++;
        }
        if (p < limit && type == TokenType.USER_VAR && (buf[p] == '\'' || buf[p] == '"' || buf[p] == '`')) {
            int end = skipQuoted(p + 1, buf[p], buf[p] != '`' && !noBackslashEscapes);
            add(type, Keyword.NONE, start, end, false);
            return end;
        }
        int nameStart = p;
        while (p < limit && (CharClass.isIdentPart(buf[p]) || buf[p] == '.')) {
            p++;
        }
        if (p == nameStart) {
            return single(start, TokenType.OPERATOR);
        }
        add(type, Keyword.NONE, start, p, false);
        return p;
    }

    private int lineComment(int start, int bodyStart) {
        int p = bodyStart;
        while (p < limit && buf[p] != '\n') {
            p++;
        }
        noteComment(bodyStart, p);
        return p;
    }

    private int blockComment(int start) {
        int p = start + 2;
        if (mode == Mode.NORMAL && p < limit && (buf[p] == '!' || (buf[p] == 'M' && p + 1 < limit
                && buf[p + 1] == '!'))) {
            int body = buf[p] == '!' ? p + 1 : p + 2;
            int digitsEnd = body;
            while (digitsEnd < limit && digitsEnd - body < 6 && CharClass.of(buf[digitsEnd]) == CharClass.DIGIT) {
                digitsEnd++;
            }
            int version = 0;
            if (digitsEnd - body >= 5) {
                for (int i = body; i < digitsEnd; i++) {
                    version = version * 10 + (buf[i] - '0');
                }
                body = digitsEnd;
            }
            if (version <= serverVersion) {
                mode = Mode.EXECUTABLE_COMMENT;
                gap = true;
                return body;
            }
        }
        while (p + 1 < limit && !(buf[p] == '*' && buf[p + 1] == '/')) {
            p++;
        }
        int bodyEnd = Math.min(p, limit);
        noteComment(start + 2, bodyEnd);
        return p + 1 < limit ? p + 2 : limit;
    }

    /** Records a comment; keeps its body for the hint parser when it starts with {@code maxscale} or {@code sluice}. */
    private void noteComment(int bodyStart, int bodyEnd) {
        gap = true;
        int p = skipSpaces(bodyStart);
        if (p < bodyEnd && (startsWith(p, bodyEnd, "maxscale") || startsWith(p, bodyEnd, "sluice"))) {
            if (hintCommentCount * 2 + 2 > hintComments.length) {
                hintComments = Arrays.copyOf(hintComments, hintComments.length * 2);
            }
            hintComments[hintCommentCount * 2] = p;
            hintComments[hintCommentCount * 2 + 1] = bodyEnd;
            hintCommentCount++;
        }
    }

    private boolean startsWith(int p, int end, String lowerWord) {
        int n = lowerWord.length();
        if (end - p < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if ((buf[p + i] | 0x20) != lowerWord.charAt(i)) {
                return false;
            }
        }
        return p + n == end || CharClass.of(buf[p + n]) == CharClass.SPACE;
    }

    private void add(TokenType type, Keyword keyword, int start, int end, boolean literal) {
        if (count == types.length) {
            int size = count * 2;
            types = Arrays.copyOf(types, size);
            keywords = Arrays.copyOf(keywords, size);
            starts = Arrays.copyOf(starts, size);
            ends = Arrays.copyOf(ends, size);
        }
        types[count] = type;
        keywords[count] = keyword;
        starts[count] = start;
        ends[count] = end;
        count++;
        writeCanonical(start, end, literal);
    }

    /** A space after {@code --} would turn the canonical form into a comment; the tokens are the same without. */
    private boolean endsWithDoubleDash() {
        return canonicalLength >= 2 && canonical[canonicalLength - 1] == '-' && canonical[canonicalLength - 2] == '-';
    }

    /**
     * Turns a trailing {@code --} of the canonical form into {@code - -}: before the end of the text or a control
     * byte it would re-lex as a comment, and the canonical form must read back as the same tokens.
     */
    private void splitDoubleDash() {
        canonical[canonicalLength - 1] = ' ';
        canonical[canonicalLength++] = '-';
    }

    private void writeCanonical(int start, int end, boolean literal) {
        int needed = canonicalLength + 2 + (literal ? 1 : end - start);
        if (needed > canonical.length) {
            canonical = Arrays.copyOf(canonical, Math.max(needed, canonical.length * 2));
        }
        if (!literal && (buf[start] & 0xFF) <= ' ' && endsWithDoubleDash()) {
            splitDoubleDash();
        }
        if (gap && canonicalLength > 0 && !endsWithDoubleDash()) {
            canonical[canonicalLength++] = ' ';
        }
        gap = false;
        if (literal) {
            canonical[canonicalLength++] = '?';
        } else {
            System.arraycopy(buf, start, canonical, canonicalLength, end - start);
            canonicalLength += end - start;
        }
    }
}
