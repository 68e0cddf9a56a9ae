package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small client of the admin REST API: HTTP Basic auth, JSON:API documents in, error details out. */
final class AdminClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The API answered with an error status; the message is the server's error detail. */
    static final class ApiException extends Exception {
        ApiException(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String authorization;

    AdminClient(String host, int port, String user, String password) {
        this.base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) throws ApiException {
        String body = send("GET", path).body();
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ApiException("the admin API answered GET " + path + " with something that is not JSON: "
                    + e.getMessage());
        }
    }

    /** POST without a body; returns the JSON answer (empty object for 204). */
    JsonNode post(String path) throws ApiException {
        String body = send("POST", path).body();
        try {
            return body.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ApiException("the admin API answered POST " + path + " with something that is not JSON: "
                    + e.getMessage());
        }
    }

    void put(String path) throws ApiException {
        send("PUT", path);
    }

    void delete(String path) throws ApiException {
        send("DELETE", path);
    }

    /** POST or PATCH of a JSON:API document (runtime create, alter, link); the API answers 204. */
    void send(String method, String path, JsonNode document) throws ApiException {
        send(method, path, document.toString());
    }

    private HttpResponse<String> send(String method, String path) throws ApiException {
        return send(method, path, (String) null);
    }

    private HttpResponse<String> send(String method, String path, String body) throws ApiException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException("cannot reach the admin API at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted");
        }
        if (resp.statusCode() >= 300) {
            String detail = resp.body();
            try {
                JsonNode d = MAPPER.readTree(resp.body()).at("/errors/0/detail");
                if (!d.isMissingNode()) {
                    detail = d.asText();
                }
            } catch (IOException e) {
                // not JSON: show the body as it is
            }
            throw new ApiException("HTTP " + resp.statusCode() + " from " + method + " " + path + ": " + detail);
        }
        return resp;
    }
}
