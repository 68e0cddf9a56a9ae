package dev.sluice.server.admin;

import java.util.concurrent.CompletableFuture;

/**
 * MaxScale's conditional requests: every successful {@code GET} carries an {@code ETag} (the SHA-1 of the JSON
 * answer, quoted); a {@code GET} with a matching {@code If-None-Match} answers 304 without a body; a write with
 * {@code If-Match} is made only when the resource's current {@code GET} still has that tag, otherwise it answers
 * 412 Precondition Failed and changes nothing (a script read, then another one changed the object).
 */
final class Preconditions {
    private Preconditions() {
    }

    static CompletableFuture<AdminResponse> dispatch(AdminDispatcher dispatcher, AdminRequest req, boolean byPassword,
                                                     String ifMatch, String ifNoneMatch) {
        boolean read = req.method().equals("GET") || req.method().equals("HEAD");
        if (read) {
            return dispatcher.dispatch(req, byPassword).thenApply(resp -> {
                if (resp.status() != 200 || !AdminResponse.JSON.equals(resp.contentType())) {
                    return resp;
                }
                String tag = etag(resp.body());
                if (ifNoneMatch != null && matches(ifNoneMatch, tag)) {
                    return new AdminResponse(304, null, "", resp.cookies(), tag);
                }
                return resp.withEtag(tag);
            });
        }
        if (ifMatch == null) {
            return dispatcher.dispatch(req, byPassword);
        }
        AdminRequest current = new AdminRequest("GET", req.path(), java.util.Map.of(), req.base(), "", req.principal());
        return dispatcher.dispatch(current, byPassword).thenCompose(now -> {
            if (now.status() != 200) {
                // nothing to compare with (PUT …/set has no GET of its own): the write decides
                return dispatcher.dispatch(req, byPassword);
            }
            if (!matches(ifMatch, etag(now.body()))) {
                return CompletableFuture.completedFuture(AdminResponse.error(412, "Precondition failed: "
                        + req.path() + " has changed since it was read (If-Match " + ifMatch + ")"));
            }
            return dispatcher.dispatch(req, byPassword);
        });
    }

    private static boolean matches(String header, String tag) {
        for (String part : header.split(",")) {
            String t = part.strip();
            if (t.equals("*") || t.equals(tag) || t.equals("W/" + tag)) {
                return true;
            }
        }
        return false;
    }

    static String etag(String body) {
        return "\"" + ConfigSync.sha1(body) + "\"";
    }
}
