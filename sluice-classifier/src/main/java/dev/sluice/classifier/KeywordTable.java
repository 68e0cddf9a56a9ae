package dev.sluice.classifier;

import java.nio.charset.StandardCharsets;

/**
 * Case-insensitive lookup of a word's {@link Keyword} straight from the statement bytes, without allocating: an
 * open-addressing table keyed by {@link #hash}, which the lexer computes while it scans the word. Immutable after
 * class initialisation, so shared by every worker.
 */
final class KeywordTable {
    /** Longest keyword; longer words are never looked up. */
    static final int MAX_LENGTH = 24;

    private static final int SIZE = 1024;
    private static final Keyword[] SLOTS = new Keyword[SIZE];
    private static final byte[][] NAMES = new byte[SIZE][];

    static {
        for (Keyword keyword : Keyword.values()) {
            if (keyword == Keyword.NONE) {
                continue;
            }
            byte[] name = keyword.name().getBytes(StandardCharsets.US_ASCII);
            int hash = 0;
            for (byte b : name) {
                hash = step(hash, b);
            }
            int slot = hash & (SIZE - 1);
            while (SLOTS[slot] != null) {
                slot = (slot + 1) & (SIZE - 1);
            }
            SLOTS[slot] = keyword;
            NAMES[slot] = name;
        }
    }

    private KeywordTable() {
    }

    /** One step of the word hash; {@code b} is folded to upper case. */
    static int step(int hash, byte b) {
        int upper = (b >= 'a' && b <= 'z') ? b - 32 : b;
        return hash * 31 + upper;
    }

    /** The keyword spelled by {@code buf[start, end)} in any case, given the {@link #step} hash of those bytes. */
    static Keyword lookup(byte[] buf, int start, int end, int hash) {
        int length = end - start;
        if (length > MAX_LENGTH) {
            return Keyword.NONE;
        }
        int slot = hash & (SIZE - 1);
        while (true) {
            Keyword candidate = SLOTS[slot];
            if (candidate == null) {
                return Keyword.NONE;
            }
            if (matches(NAMES[slot], buf, start, length)) {
                return candidate;
            }
            slot = (slot + 1) & (SIZE - 1);
        }
    }

    private static boolean matches(byte[] name, byte[] buf, int start, int length) {
        if (name.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int b = buf[start + i];
            if (b >= 'a' && b <= 'z') {
                b -= 32;
            }
            if (b != name[i]) {
                return false;
            }
        }
        return true;
    }
}
