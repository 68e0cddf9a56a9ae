package dev.sluice.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request as the HTTP layer hands it to the resources: method, decoded path segments, the first value of
 * each query parameter, the body text, {@code base} ({@code http(s)://host:port} for links), who asked, and
 * the {@code Cookie} header (null when none: the query API's connection tokens may come in cookies).
 */
record AdminRequest(String method, String path, Map<String, String> query, String base, String body,
                    AdminUsers.Principal principal, String cookies) {

    AdminRequest(String method, String path, Map<String, String> query, String base, String body,
                 AdminUsers.Principal principal) {
        this(method, path, query, base, body, principal, null);
    }

    /** The path split at '/', percent-decoded, empty segments dropped. */
    List<String> segments() {
        List<String> seg = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                seg.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return seg;
    }

    String self() {
        return base + path;
    }

    AdminApi.Request forApi() {
        return new AdminApi.Request(method, path, query, base, body);
    }

    /** 405 unless the method is one of {@code methods}. */
    void allow(String... methods) {
        for (String m : methods) {
            if (m.equals(method)) {
                return;
            }
        }
        throw new AdminApi.ApiError(405, "Method " + method + " is not allowed on " + path + " (expected: "
                + String.join(", ", methods) + ")");
    }

    /** The body as JSON; 400 naming the problem when it is missing or not JSON. */
    JsonNode json() {
        if (body == null || body.isBlank()) {
            throw new AdminApi.ApiError(400, "Missing request body (expected: a JSON document)");
        }
        try {
            return JsonApi.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AdminApi.ApiError(400, "Malformed JSON in the request body: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }
}
