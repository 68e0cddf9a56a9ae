package dev.sluice.server.admin;

import java.util.List;

/**
 * What the HTTP layer writes: status, content type (null for none), body, any {@code Set-Cookie} values and the
 * {@code ETag} (null for none).
 */
record AdminResponse(int status, String contentType, String body, List<String> cookies, String etag) {
    static final String JSON = "application/json";

    AdminResponse(int status, String contentType, String body, List<String> cookies) {
        this(status, contentType, body, cookies, null);
    }

    AdminResponse withEtag(String tag) {
        return new AdminResponse(status, contentType, body, cookies, tag);
    }

    static AdminResponse of(AdminApi.Response r) {
        return new AdminResponse(r.status(), r.contentType(), r.body(), List.of());
    }

    static AdminResponse json(int status, String body) {
        return new AdminResponse(status, JSON, body, List.of());
    }

    /** 200 without a body (MaxScale's answer to a session action). */
    static AdminResponse ok() {
        return new AdminResponse(200, null, "", List.of());
    }

    static AdminResponse noContent() {
        return new AdminResponse(204, null, "", List.of());
    }

    static AdminResponse error(int status, String detail) {
        return json(status, JsonApi.errors(detail).toString());
    }
}
