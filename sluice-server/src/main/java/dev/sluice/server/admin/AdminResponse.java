package dev.sluice.server.admin;

import java.util.List;

/** What the HTTP layer writes: status, content type (null for none), body and any {@code Set-Cookie} values. */
record AdminResponse(int status, String contentType, String body, List<String> cookies) {
    static final String JSON = "application/json";

    static AdminResponse of(AdminApi.Response r) {
        return new AdminResponse(r.status(), r.contentType(), r.body(), List.of());
    }

    static AdminResponse json(int status, String body) {
        return new AdminResponse(status, JSON, body, List.of());
    }

    static AdminResponse noContent() {
        return new AdminResponse(204, null, "", List.of());
    }

    static AdminResponse error(int status, String detail) {
        return json(status, JsonApi.errors(detail).toString());
    }
}
