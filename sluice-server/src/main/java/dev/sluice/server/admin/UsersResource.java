package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code /v1/users[/inet[/:name]]} (list, show, create, change password, delete admin accounts) and
 * {@code GET /v1/auth} (a JWT for the authenticated user). Runs on the admin event loop; the slow part
 * (PBKDF2 hashing of a new password, about 20 ms) is accepted there because account changes are rare.
 */
final class UsersResource {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final String INET = "inet";
    /** MaxScale's default lifetime of a token from /v1/auth when no max-age is asked for. */
    private static final Duration DEFAULT_TOKEN_AGE = Duration.ofHours(8);

    private final AdminUsers users;
    private final AdminTokens tokens;

    UsersResource(AdminUsers users, AdminTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    /** {@code seg} starts with "users". Returns the document, or null for 204. */
    JsonNode users(AdminRequest req, List<String> seg) {
        int n = seg.size();
        if (n == 2 || (n == 3 && seg.get(2).equals(INET))) {
            req.allow(n == 2 ? new String[] {"GET"} : new String[] {"GET", "POST"});
            if (req.method().equals("POST")) {
                create(req.json());
                return null;
            }
            ArrayNode all = JsonApi.MAPPER.createArrayNode();
            users.all().forEach(a -> all.add(resource(req.base(), a)));
            return JsonApi.document(req.self(), all);
        }
        if (n == 4 && seg.get(2).equals(INET)) {
            String name = seg.get(3);
            req.allow("GET", "PATCH", "DELETE");
            try {
                switch (req.method()) {
                    case "PATCH" -> {
                        JsonNode password = req.json().at("/data/attributes/password");
                        users.changePassword(name, password.isTextual() ? password.asText() : null);
                        return null;
                    }
                    case "DELETE" -> {
                        users.remove(name);
                        return null;
                    }
                    default -> {
                        AdminUsers.Account a = users.find(name);
                        if (a == null) {
                            throw new AdminApi.ApiError(404, "No admin user named '" + name + "'");
                        }
                        return JsonApi.document(req.self(), resource(req.base(), a));
                    }
                }
            } catch (AdminUsers.UserException e) {
                throw new AdminApi.ApiError(e.status, e.getMessage());
            }
        }
        throw new AdminApi.ApiError(404, "No resource at " + req.path());
    }

    /** {@code {"data":{"id":NAME,"type":"inet","attributes":{"password":…,"account":"admin|basic"}}}}. */
    private void create(JsonNode doc) {
        JsonNode data = doc.path("data");
        JsonNode id = data.path("id");
        JsonNode password = data.at("/attributes/password");
        JsonNode account = data.at("/attributes/account");
        if (!id.isTextual()) {
            throw new AdminApi.ApiError(400, "Missing or invalid value for 'data.id' (expected: the user name as a "
                    + "string)");
        }
        if (!account.isMissingNode() && !account.isTextual()) {
            throw new AdminApi.ApiError(400, "Invalid value for 'account': " + account
                    + " (expected: \"admin\" or \"basic\")");
        }
        try {
            users.create(id.asText(), password.isTextual() ? password.asText() : null,
                    account.asText(AdminUsers.BASIC));
        } catch (AdminUsers.UserException e) {
            throw new AdminApi.ApiError(e.status, e.getMessage());
        }
    }

    private static JsonNode resource(String base, AdminUsers.Account a) {
        ObjectNode attributes = JsonApi.MAPPER.createObjectNode();
        attributes.put("account", a.account());
        attributes.put("created", HTTP_DATE.format(Instant.ofEpochMilli(a.createdMillis())));
        attributes.put("name", a.name());
        ObjectNode r = JsonApi.resource(base, INET, a.name(), attributes, null);
        ((ObjectNode) r.get("links")).put("self", base + "/v1/users/inet/" + a.name() + "/");
        return r;
    }

    /**
     * {@code GET /v1/auth[?max-age=SECONDS][&persist=yes]}: a token for the user who authenticated (with a
     * password: a token cannot buy another token). With {@code persist=yes} the token goes into cookies as
     * MaxScale's GUI keeps it: {@code token_body} (header and claims) and {@code token_sig} (HttpOnly).
     */
    AdminResponse auth(AdminRequest req, boolean byPassword) {
        req.allow("GET");
        if (!byPassword) {
            throw new AdminApi.ApiError(401, "Access denied: /v1/auth needs a user name and password");
        }
        Duration age = DEFAULT_TOKEN_AGE;
        String maxAge = req.query().get("max-age");
        if (maxAge != null) {
            try {
                age = Duration.ofSeconds(Long.parseLong(maxAge));
            } catch (NumberFormatException e) {
                throw new AdminApi.ApiError(400, "Invalid value for 'max-age': '" + maxAge
                        + "' (expected: seconds)");
            }
            if (age.isNegative() || age.isZero()) {
                throw new AdminApi.ApiError(400, "Invalid value for 'max-age': '" + maxAge
                        + "' (expected: seconds, at least 1)");
            }
        }
        if (age.compareTo(tokens.maxAge()) > 0) {
            age = tokens.maxAge();
        }
        String token = tokens.issue(req.principal().name(), age, System.currentTimeMillis());
        if ("yes".equals(req.query().get("persist")) || "true".equals(req.query().get("persist"))) {
            int dot = token.lastIndexOf('.');
            String secure = req.base().startsWith("https:") ? "; Secure" : "";
            return new AdminResponse(204, null, "", List.of(
                    "token_body=" + token.substring(0, dot) + "; Path=/; Max-Age=" + age.toSeconds()
                            + "; SameSite=Lax" + secure,
                    "token_sig=" + token.substring(dot + 1) + "; Path=/; Max-Age=" + age.toSeconds()
                            + "; HttpOnly; SameSite=Lax" + secure));
        }
        ObjectNode doc = JsonApi.MAPPER.createObjectNode();
        doc.putObject("meta").put("token", token);
        return AdminResponse.json(200, doc.toString());
    }
}
