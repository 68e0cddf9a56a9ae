package dev.sluice.cli;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice ctl classify SQL}: how Sluice's classifier sees a statement (the words are joined by spaces). */
@Command(name = "classify", mixinStandardHelpOptions = true, description = "Classify a SQL statement.")
final class CtlClassifyCommand extends CtlVerb {
    @Parameters(index = "0..*", arity = "1..*", paramLabel = "SQL")
    List<String> sql;

    @Override
    void run(AdminClient client, PrintWriter out) throws AdminClient.ApiException {
        CtlShowCommand.printJson(out, client.get("/v1/maxscale/query_classifier/classify?sql="
                + URLEncoder.encode(String.join(" ", sql), StandardCharsets.UTF_8)).at("/data/attributes/parameters"));
    }
}
