package dev.sluice.server.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is asking: HTTP Basic credentials checked against {@link AdminUsers}, or a JWT from {@code /v1/auth}
 * given as {@code Authorization: Bearer TOKEN} or as the {@code token_body} + {@code token_sig} cookies. A
 * token's user must still exist, and its account type is read now, not from the token. Failed attempts are
 * logged (user name sanitised, client address) while {@code admin_log_auth_failures} is on. Thread-safe.
 */
final class AdminAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(AdminAuthenticator.class);

    /** The outcome: the principal (null when refused) and whether a password proved it. */
    record Result(AdminUsers.Principal principal, boolean byPassword) {
        static final Result REFUSED = new Result(null, false);
    }

    private final AdminUsers users;
    private final AdminTokens tokens;
    private final BooleanSupplier logFailures;

    AdminAuthenticator(AdminUsers users, AdminTokens tokens, BooleanSupplier logFailures) {
        this.users = users;
        this.tokens = tokens;
        this.logFailures = logFailures;
    }

    Result authenticate(HttpHeaders headers, SocketAddress remote) {
        String header = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(header.substring(6).trim(), remote);
        }
        String token = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        } else {
            token = cookieToken(headers.get(HttpHeaderNames.COOKIE));
        }
        if (token == null) {
            if (header != null) {
                failed("", "an unsupported Authorization scheme", remote);
            }
            return Result.REFUSED;
        }
        String user = tokens.verify(token, System.currentTimeMillis());
        AdminUsers.Account account = user == null ? null : users.find(user);
        if (account == null) {
            failed(user == null ? "" : user, "an invalid or expired token", remote);
            return Result.REFUSED;
        }
        return new Result(new AdminUsers.Principal(account.name(), account.account()), false);
    }

    private Result basic(String encoded, SocketAddress remote) {
        String user = "";
        try {
            String pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon > 0) {
                user = pair.substring(0, colon);
                AdminUsers.Principal p = users.authenticate(user, pair.substring(colon + 1));
                if (p != null) {
                    return new Result(p, true);
                }
            }
        } catch (IllegalArgumentException e) {
            // not base64: refused below
        }
        failed(user, "a wrong user name or password", remote);
        return Result.REFUSED;
    }

    private static String cookieToken(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        String body = null;
        String sig = null;
        for (Cookie c : ServerCookieDecoder.LAX.decode(cookieHeader)) {
            if (c.name().equals("token_body")) {
                body = c.value();
            } else if (c.name().equals("token_sig")) {
                sig = c.value();
            }
        }
        return body == null || sig == null ? null : body + "." + sig;
    }

    private void failed(String user, String why, SocketAddress remote) {
        if (logFailures.getAsBoolean()) {
            log.warn("Authentication failed for admin user '{}' from {}: {}", user.replaceAll("\\p{Cntrl}", "?"),
                    remote, why);
        }
    }
}
