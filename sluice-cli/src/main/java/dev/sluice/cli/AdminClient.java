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
import javax.net.ssl.SSLContext;

/** A small client of the admin REST API: HTTP Basic auth, JSON:API documents in, error details out. */
final class AdminClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The API answered with an error status; the message is the server's error detail. */
    static final class ApiException extends Exception {
        ApiException(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final String base;
    private final String authorization;

    private final Duration timeout;

    AdminClient(String host, int port, String user, String password) {
        this("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port, user, password, null,
                Duration.ofSeconds(30));
    }

    /**
     * @param base    {@code http(s)://host:port}
     * @param tls     the trust for HTTPS, or null for the JDK's default
     * @param timeout how long one request may take
     */
    AdminClient(String base, String user, String password, SSLContext tls, Duration timeout) {
        this.timeout = timeout;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0
                ? timeout : Duration.ofSeconds(10));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) throws ApiException {
        return json("GET", path, exchange("GET", path, null).body());
    }

    /** POST without a body; returns the JSON answer (empty object for 204). */
    JsonNode post(String path) throws ApiException {
        return json("POST", path, exchange("POST", path, null).body());
    }

    /** {@code method} with a JSON body; returns the JSON answer (empty object for 204). */
    JsonNode send(String method, String path, JsonNode body) throws ApiException {
        return json(method, path, exchange(method, path, body.toString()).body());
    }

    void put(String path) throws ApiException {
        exchange("PUT", path, null);
    }

    void delete(String path) throws ApiException {
        exchange("DELETE", path, null);
    }

    private static JsonNode json(String method, String path, String body) throws ApiException {
        try {
            return body.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        } catch (IOException e) {
            throw new ApiException("the admin API answered " + method + " " + path + " with something that is not "
                    + "JSON: " + e.getMessage());
        }
    }

    private HttpResponse<String> exchange(String method, String path, String body) throws ApiException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            req.header("Content-Type", "application/json");
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
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
