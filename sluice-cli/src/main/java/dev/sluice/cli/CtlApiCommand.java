package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl api get PATH [JSON-POINTER]}: the raw answer of {@code GET /v1/PATH}, or the part a JSON
 * pointer names ({@code sluice ctl api get servers/db1 /data/attributes/state}), as maxctrl's {@code api get}.
 */
@Command(name = "api", mixinStandardHelpOptions = true, description = "Raw REST API access.")
final class CtlApiCommand extends CtlVerb {
    enum Method { get }

    @Parameters(index = "0", paramLabel = "get")
    Method method;

    @Parameters(index = "1", paramLabel = "PATH", description = "Resource path, e.g. servers or /v1/servers/db1.")
    String path;

    @Parameters(index = "2", arity = "0..1", paramLabel = "POINTER", description = "JSON pointer into the answer.")
    String pointer;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        String p = path.startsWith("/") ? path : "/" + path;
        if (!p.startsWith("/v1/") && !p.equals("/v1")) {
            p = "/v1" + p;
        }
        var answer = client.get(p);
        CtlShowCommand.printJson(out, pointer == null ? answer : answer.at(pointer));
    }
}
