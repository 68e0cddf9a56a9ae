package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JSON Web Tokens for the admin API ({@code GET /v1/auth}), HS256 only, signed with a key drawn at random
 * when this Sluice starts: tokens die with the process, as MaxScale's do without {@code admin_jwt_key}.
 * Written with the JDK's HMAC rather than a JWT library: one fixed algorithm, our own tokens only, about
 * fifty lines, and no algorithm negotiation (the {@code alg=none} class of bugs) to get wrong. Immutable and
 * thread-safe ({@link Mac} instances are made per call).
 *
 * <p>Claims: {@code iss} (admin_jwt_issuer), {@code sub} (the user), {@code iat}, {@code exp}. The account
 * type is not in the token: it is looked up on every request, so demoting or deleting a user takes effect at
 * once.
 */
final class AdminTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
            .getBytes(StandardCharsets.UTF_8));

    private final byte[] key;
    private final String issuer;
    private final Duration maxAge;

    AdminTokens(String issuer, Duration maxAge) {
        this.key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.issuer = issuer;
        this.maxAge = maxAge;
    }

    /** The largest lifetime a token may ask for (admin_jwt_max_age). */
    Duration maxAge() {
        return maxAge;
    }

    /** A signed token for {@code user}, valid for {@code lifetime} (capped at admin_jwt_max_age). */
    String issue(String user, Duration lifetime, long nowMillis) {
        long now = nowMillis / 1000;
        long seconds = Math.min(lifetime.toSeconds(), maxAge.toSeconds());
        ObjectNode claims = JsonApi.MAPPER.createObjectNode().put("iss", issuer).put("sub", user).put("iat", now)
                .put("exp", now + seconds);
        String body = HEADER + "." + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + B64.encodeToString(sign(body));
    }

    /** The user a valid, unexpired token of ours names, or null for anything else. */
    String verify(String token, long nowMillis) {
        int dot = token.lastIndexOf('.');
        if (dot < 0 || !token.startsWith(HEADER + ".")) {
            return null;
        }
        String body = token.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(sign(body), B64D.decode(token.substring(dot + 1)))) {
                return null;
            }
            JsonNode claims = JsonApi.MAPPER.readTree(B64D.decode(body.substring(HEADER.length() + 1)));
            if (!issuer.equals(claims.path("iss").asText()) || claims.path("exp").asLong(0) <= nowMillis / 1000) {
                return null;
            }
            String sub = claims.path("sub").asText("");
            return sub.isEmpty() ? null : sub;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
