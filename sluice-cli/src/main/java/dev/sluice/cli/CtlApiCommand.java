package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Raw REST access, as maxctrl's {@code api} verbs:
 * <ul>
 *   <li>{@code sluice ctl api get PATH [JSON-POINTER]}: the answer of {@code GET /v1/PATH}, or the part a JSON
 *       pointer names ({@code sluice ctl api get servers/db1 /data/attributes/state});</li>
 *   <li>{@code sluice ctl api patch PATH JSON} and {@code api post PATH [JSON]}: sends the document and prints
 *       the answer, or {@code OK} when there is none (204);</li>
 *   <li>{@code sluice ctl api delete PATH}: prints {@code OK}.</li>
 * </ul>
 * PATH may omit the leading {@code /v1/}.
 */
@Command(name = "api", mixinStandardHelpOptions = true, description = "Raw REST API access.")
final class CtlApiCommand extends CtlVerb {
    enum Method { get, patch, post, delete }

    @Parameters(index = "0", paramLabel = "METHOD", description = "One of: ${COMPLETION-CANDIDATES}.")
    Method method;

    @Parameters(index = "1", paramLabel = "PATH", description = "Resource path, e.g. servers or /v1/servers/db1.")
    String path;

    @Parameters(index = "2", arity = "0..1", paramLabel = "POINTER|JSON",
            description = "get: a JSON pointer into the answer; patch, post: the JSON document to send.")
    String argument;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        String p = path.startsWith("/") ? path : "/" + path;
        if (!p.startsWith("/v1/") && !p.equals("/v1")) {
            p = "/v1" + p;
        }
        switch (method) {
            case get -> {
                var answer = client.get(p);
                CtlShowCommand.printJson(out, argument == null ? answer : answer.at(argument));
            }
            case patch, post -> {
                if (argument == null && method == Method.patch) {
                    throw new AdminClient.ApiException("api patch: missing the JSON document to send");
                }
                JsonNode answer = argument == null ? client.post(p)
                        : client.send(method.name().toUpperCase(java.util.Locale.ROOT), p, parse(argument));
                if (answer.isEmpty()) {
                    out.println("OK");
                } else {
                    CtlShowCommand.printJson(out, answer);
                }
            }
            case delete -> {
                if (argument != null) {
                    throw new AdminClient.ApiException("api delete: takes only PATH, got '" + argument + "' too");
                }
                client.delete(p);
                out.println("OK");
            }
        }
    }

    private static JsonNode parse(String json) throws AdminClient.ApiException {
        try {
            return AdminClient.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AdminClient.ApiException("not a JSON document: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }
}
