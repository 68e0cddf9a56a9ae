package dev.sluice.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small client of Sluice's REST API with the default admin account, for the runtime-change ITs. */
final class AdminRest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final int port;

    AdminRest(int port) {
        this.port = port;
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:mariadb".getBytes(StandardCharsets.UTF_8)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends and insists on {@code status}; the exception names the request and the answer. */
    String expect(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        if (r.statusCode() != status) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + " (expected " + status
                    + "): " + r.body());
        }
        return r.body();
    }

    static String server(String name, int port, String extraParams) {
        return "{\"data\":{\"id\":\"" + name + "\",\"type\":\"servers\",\"attributes\":{\"parameters\":{"
                + "\"address\":\"127.0.0.1\",\"port\":" + port + extraParams + "}}}}";
    }

    static String service(String name, String routerOptions, String... servers) {
        return "{\"data\":{\"id\":\"" + name + "\",\"type\":\"services\",\"attributes\":{\"router\":\"readconnroute\","
                + "\"parameters\":{\"user\":\"maxuser\",\"password\":\"maxpwd\",\"router_options\":\"" + routerOptions
                + "\"}},\"relationships\":{\"servers\":" + links("servers", servers) + "}}}";
    }

    static String listener(String name, String service) {
        return "{\"data\":{\"id\":\"" + name + "\",\"type\":\"listeners\",\"attributes\":{\"parameters\":{"
                + "\"port\":0,\"address\":\"127.0.0.1\"}},\"relationships\":{\"services\":" + links("services", service)
                + "}}}";
    }

    static String monitor(String name, String... servers) {
        return "{\"data\":{\"id\":\"" + name + "\",\"type\":\"monitors\",\"attributes\":{\"module\":\"mariadbmon\","
                + "\"parameters\":{\"user\":\"maxuser\",\"password\":\"maxpwd\",\"monitor_interval\":\"200ms\"}},"
                + "\"relationships\":{\"servers\":" + links("servers", servers) + "}}}";
    }

    static String parameters(String json) {
        return "{\"data\":{\"attributes\":{\"parameters\":{" + json + "}}}}";
    }

    /** A relationship object {@code {"data":[{"id":…,"type":…}, …]}}. */
    static String links(String type, String... ids) {
        StringBuilder sb = new StringBuilder("{\"data\":[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids[i]).append("\",\"type\":\"").append(type)
                    .append("\"}");
        }
        return sb.append("]}").toString();
    }

    /** Creates a readconnroute service over {@code servers} and a listener {@code SERVICE-L}; returns its port. */
    int serviceWithListener(String service, String routerOptions, String... servers) throws Exception {
        expect(204, "POST", "/v1/services", service(service, routerOptions, servers));
        expect(204, "POST", "/v1/listeners", listener(service + "-L", service));
        String body = expect(200, "GET", "/v1/listeners/" + service + "-L", null);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).at("/data/attributes/bound_port")
                .asInt();
    }
}
