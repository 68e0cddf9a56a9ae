package dev.sluice.protocol.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The mysql_native_password arithmetic (https://mariadb.com/kb/en/connection/#mysql_native_password-plugin).
 * The server stores H2 = SHA1(SHA1(password)); a client sends T = SHA1(password) XOR SHA1(scramble ‖ H2).
 * Knowing the scramble and H2, Sluice recovers H1 = SHA1(password) from T and checks SHA1(H1) == H2; with
 * H1 it can then compute a valid token for any backend's scramble. It never learns the plaintext.
 */
public final class NativePassword {
    public static final String PLUGIN = "mysql_native_password";
    public static final int SCRAMBLE_LENGTH = 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    private NativePassword() {
    }

    /** A fresh scramble of printable bytes, never NUL (clients treat the scramble as a C string). */
    public static byte[] newScramble() {
        byte[] out = new byte[SCRAMBLE_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (33 + RANDOM.nextInt(94));
        }
        return out;
    }

    public static byte[] sha1(byte[]... parts) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
        for (byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    /** H2 as stored in {@code mysql.user}: {@code *HEX} (41 chars) → 20 bytes; empty → empty (no password). */
    public static byte[] parseStoredHash(String authenticationString) {
        if (authenticationString == null || authenticationString.isEmpty()) {
            return new byte[0];
        }
        String hex = authenticationString.startsWith("*") ? authenticationString.substring(1) : authenticationString;
        if (hex.length() != 40) {
            throw new IllegalArgumentException("native password hash: length " + hex.length() + " (expected: 40)");
        }
        byte[] out = new byte[20];
        for (int i = 0; i < 20; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /**
     * Checks a client's token against the stored H2 and returns H1 = SHA1(password), or {@code null} when
     * the password is wrong. An empty token matches only an empty stored hash (account without password);
     * then H1 is empty too.
     */
    public static byte[] verify(byte[] scramble, byte[] token, byte[] storedH2) {
        if (storedH2.length == 0) {
            return token.length == 0 ? new byte[0] : null;
        }
        if (token.length != 20) {
            return null;
        }
        byte[] mask = sha1(scramble, storedH2);
        byte[] h1 = new byte[20];
        for (int i = 0; i < 20; i++) {
            h1[i] = (byte) (token[i] ^ mask[i]);
        }
        return MessageDigest.isEqual(sha1(h1), storedH2) ? h1 : null;
    }

    /** The token a client knowing the password would send for {@code scramble}, computed from H1 alone. */
    public static byte[] tokenFromH1(byte[] scramble, byte[] h1) {
        if (h1.length == 0) {
            return new byte[0];
        }
        byte[] mask = sha1(scramble, sha1(h1));
        byte[] token = new byte[20];
        for (int i = 0; i < 20; i++) {
            token[i] = (byte) (h1[i] ^ mask[i]);
        }
        return token;
    }

    /** The token for a plaintext password (used by tests and tools, never by the proxy path). */
    public static byte[] token(byte[] scramble, byte[] password) {
        return password.length == 0 ? new byte[0] : tokenFromH1(scramble, sha1(password));
    }
}
