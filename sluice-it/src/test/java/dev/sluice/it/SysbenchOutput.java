package dev.sluice.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading what sysbench printed with {@code --verbosity=5}. */
final class SysbenchOutput {
    private SysbenchOutput() {
    }

    /** The error codes sysbench ignored (and retried), one per occurrence, repeats folded by sysbench included. */
    static List<String> ignoredErrorCodes(String sysbenchOutput) {
        // sysbench folds repeats of a message into "(last message repeated N times)" on the next line
        List<String> codes = new ArrayList<>();
        Pattern ignoring = Pattern.compile("Ignoring error (\\d+)");
        Pattern repeated = Pattern.compile("^\\(last message repeated (\\d+) times\\)");
        String last = null;
        for (String line : sysbenchOutput.split("\n")) {
            Matcher r = repeated.matcher(line.trim());
            if (r.find()) {
                for (int i = 0; last != null && i < Integer.parseInt(r.group(1)); i++) {
                    codes.add(last);
                }
                continue;
            }
            Matcher m = ignoring.matcher(line);
            last = m.find() ? m.group(1) : null;
            if (last != null) {
                codes.add(last);
            }
        }
        return codes;
    }
}
