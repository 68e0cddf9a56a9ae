package dev.sluice.classifier;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Turns identifier and literal bytes into names and values. Stateless. */
final class Names {
    private Names() {
    }

    static String identifier(byte[] buf, int start, int end, TokenType type) {
        if (type != TokenType.QUOTED_IDENT) {
            return new String(buf, start, end - start, StandardCharsets.UTF_8);
        }
        return unquote(buf, start, end, false);
    }

    /**
     * The content of a quoted token: strips the quotes, undoubles doubled quotes and, for strings with
     * {@code backslashEscapes}, applies the escapes. An unterminated token keeps everything after its quote.
     */
    static String unquote(byte[] buf, int start, int end, boolean backslashEscapes) {
        byte quote = buf[start];
        int last = end - 1;
        int contentEnd = (last > start && buf[last] == quote) ? last : end;
        byte[] out = new byte[Math.max(0, contentEnd - start - 1)];
        int n = 0;
        for (int p = start + 1; p < contentEnd; p++) {
            byte b = buf[p];
            if (b == quote && p + 1 < contentEnd && buf[p + 1] == quote) {
                p++;
            } else if (b == '\\' && backslashEscapes && p + 1 < contentEnd) {
                b = unescape(buf[++p]);
            }
            out[n++] = b;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The value of a string literal token: skips a {@code _charset} or {@code N} introducer and joins adjacent
     * quoted pieces ({@code 'a' 'b'} is {@code ab}), applying escapes.
     */
    static byte[] stringValue(byte[] buf, int start, int end, boolean backslashEscapes) {
        byte[] out = new byte[end - start];
        int n = 0;
        int p = start;
        while (p < end && buf[p] != '\'' && buf[p] != '"') {
            p++;
        }
        while (p < end) {
            byte quote = buf[p];
            if (quote != '\'' && quote != '"') {
                p++;
                continue;
            }
            p++;
            while (p < end) {
                byte b = buf[p];
                if (b == quote) {
                    if (p + 1 < end && buf[p + 1] == quote) {
                        out[n++] = quote;
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (b == '\\' && backslashEscapes && p + 1 < end) {
                    out[n++] = unescape(buf[p + 1]);
                    p += 2;
                    continue;
                }
                out[n++] = b;
                p++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static byte unescape(byte b) {
        return switch (b) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case '0' -> 0;
            case 'b' -> '\b';
            case 'Z' -> 26;
            default -> b;
        };
    }

    /** The bytes as a lower-case string (ASCII letters folded; other bytes decoded as UTF-8). */
    static String lowerCase(byte[] buf, int start, int end) {
        byte[] out = new byte[end - start];
        for (int i = start; i < end; i++) {
            byte b = buf[i];
            out[i - start] = (b >= 'A' && b <= 'Z') ? (byte) (b + 32) : b;
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static boolean equalsLowerAscii(byte[] buf, int start, int end, String lower) {
        int n = lower.length();
        if (end - start != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int b = buf[start + i];
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
