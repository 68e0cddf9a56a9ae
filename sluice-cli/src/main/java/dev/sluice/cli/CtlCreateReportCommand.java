package dev.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice ctl create report [FILE] [--lines N]}: maxctrl's diagnostic report, one JSON object holding the answer
 * of every resource that describes the running instance (globals, objects, sessions, modules, classifier, threads,
 * the last log lines), written to FILE (which must not exist) or to standard output. Passwords are masked by the API
 * itself. A resource that fails is recorded with its error rather than failing the report.
 */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Write a diagnostic report (JSON).")
class CtlCreateReportCommand extends CtlSubVerb {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Where to write (default: stdout).")
    Path file;

    @Option(names = "--lines", defaultValue = "1000", description = "Log lines to include (default 1000).")
    int lines;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("maxscale", "/v1/maxscale");
        for (String c : new String[] {"servers", "services", "monitors", "listeners", "filters", "sessions"}) {
            endpoints.put(c, "/v1/" + c);
        }
        endpoints.put("users", "/v1/users");
        endpoints.put("modules", "/v1/maxscale/modules");
        endpoints.put("query_classifier", "/v1/maxscale/query_classifier");
        endpoints.put("threads", "/v1/maxscale/threads");
        endpoints.put("logs", "/v1/maxscale/logs/entries?page[size]=" + lines);
        ObjectNode report = AdminClient.MAPPER.createObjectNode();
        for (Map.Entry<String, String> e : endpoints.entrySet()) {
            try {
                report.set(e.getKey(), client.get(e.getValue()));
            } catch (AdminClient.ApiException failed) {
                report.putObject(e.getKey()).put("error", failed.getMessage());
            }
        }
        String text;
        try {
            text = AdminClient.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (IOException e) {
            throw new AdminClient.ApiException("cannot write the report: " + e.getMessage());
        }
        if (file == null) {
            out.println(text);
            return;
        }
        try {
            Files.writeString(file, text + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new AdminClient.ApiException("File already exists: " + file);
        } catch (IOException e) {
            throw new AdminClient.ApiException("cannot write " + file + ": " + e.getMessage());
        }
        out.println("OK");
    }
}
