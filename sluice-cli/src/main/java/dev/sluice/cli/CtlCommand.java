package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code sluice ctl}: the admin client, maxctrl's verbs over Sluice's REST API. Connection and output options
 * are inherited by every verb ({@code sluice ctl list servers --port 8990 --tsv}), except {@code -h/--hosts},
 * which goes before the verb as in maxctrl ({@code sluice ctl -h a:8989 -h b:8989 list servers}) because each
 * verb's own {@code -h} is its help. With several hosts the verb runs against each in turn. Exit code 0 on
 * success, 1 with the server's error text when any host fails, 2 for a bad command line.
 */
@Command(name = "ctl", versionProvider = Version.class,
        description = "Administer a running Sluice through its REST API.",
        subcommands = {CtlListCommand.class, CtlShowCommand.class, CtlSetCommand.class, CtlClearCommand.class,
                CtlCallCommand.class, CtlCreateCommand.class, CtlAlterCommand.class, CtlDestroyCommand.class,
                CtlLinkCommand.class, CtlUnlinkCommand.class, CtlStartCommand.class, CtlStopCommand.class,
                CtlReloadCommand.class, CtlClassifyCommand.class, CtlApiCommand.class, CtlRotateCommand.class,
                CtlLogPriorityCommand.Enable.class, CtlLogPriorityCommand.Disable.class})
public final class CtlCommand implements Callable<Integer> {
    /** How list verbs print: maxctrl's box table, tab-separated values without a header, or the JSON data. */
    enum Format { TABLE, TSV, JSON }

    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    @Option(names = {"-h", "--hosts"}, split = ",", paramLabel = "HOST:PORT",
            description = "Admin API(s) to talk to, before the verb; repeat or separate with commas to run the "
                    + "verb on several Sluices (default: --host:--port).")
    List<String> hosts = new ArrayList<>();

    @Option(names = {"-H", "--host"}, defaultValue = "127.0.0.1", scope = ScopeType.INHERIT,
            description = "Admin API host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-P", "--port"}, defaultValue = "8989", scope = ScopeType.INHERIT,
            description = "Admin API port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-u", "--user"}, defaultValue = "admin", scope = ScopeType.INHERIT,
            description = "Admin user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = {"-p", "--password"}, defaultValue = "mariadb", scope = ScopeType.INHERIT,
            description = "Admin password (default: ${DEFAULT-VALUE}).")
    String password;

    @Option(names = {"-s", "--secure"}, scope = ScopeType.INHERIT,
            description = "Use HTTPS (the server's certificate must be trusted, see --tls-ca-cert).")
    boolean secure;

    @Option(names = "--tls-ca-cert", paramLabel = "PEM", scope = ScopeType.INHERIT,
            description = "Trust this CA (or self-signed) certificate for HTTPS; implies --secure.")
    Path caCert;

    @Option(names = "--tsv", scope = ScopeType.INHERIT,
            description = "Print lists as tab-separated values without a header (stable for scripts).")
    boolean tsv;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the API's JSON data instead of tables.")
    boolean json;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "maxctrl's option file (default: ~/.maxctrl.cnf when it exists): its [maxctrl] section "
                    + "gives defaults for user, password, hosts, secure, tsv, tls-ca-cert and timeout.")
    Path config;

    @Option(names = {"-t", "--timeout"}, paramLabel = "MS", scope = ScopeType.INHERIT,
            description = "Request timeout in milliseconds (default: 30000).")
    Integer timeoutMillis;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    Format format() {
        return json ? Format.JSON : tsv ? Format.TSV : Format.TABLE;
    }

    /** The admin APIs to run a verb against: {@code --hosts}, else {@code --host} and {@code --port}. */
    List<String> targets() {
        if (!hosts.isEmpty()) {
            // HOST or HOST:PORT; an IPv6 address needs brackets: [::1]:8989
            return hosts.stream().map(h -> h.matches(".*[^:]:\\d+") ? h : h + ":" + port).toList();
        }
        return List.of((host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    AdminClient client(String target) throws AdminClient.ApiException {
        boolean https = secure || caCert != null;
        return new AdminClient((https ? "https://" : "http://") + target, user, password,
                https && caCert != null ? trusting(caCert) : null,
                java.time.Duration.ofMillis(timeoutMillis == null ? 30_000 : timeoutMillis));
    }

    /**
     * Fills the options not given on the command line from the option file, as maxctrl does; called once before
     * a verb runs.
     *
     * @throws AdminClient.ApiException naming the file (and line) for a file that cannot be used
     */
    void applyOptionFile(CommandLine.ParseResult parsed) throws AdminClient.ApiException {
        Path file = config != null ? config : MaxCtrlConfig.defaultFile();
        java.util.Map<String, String> opts = MaxCtrlConfig.read(file, config != null);
        for (java.util.Map.Entry<String, String> e : opts.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (given(parsed, "--" + key)) {
                continue;
            }
            switch (key) {
                case "user" -> user = value;
                case "password" -> password = value;
                case "hosts" -> {
                    if (hosts.isEmpty()) {
                        hosts = new ArrayList<>(java.util.Arrays.stream(value.split("[,\\s]+"))
                                .filter(h -> !h.isEmpty()).toList());
                    }
                }
                case "secure" -> secure = MaxCtrlConfig.bool(file, key, value);
                case "tsv" -> tsv = MaxCtrlConfig.bool(file, key, value);
                case "tls-ca-cert" -> caCert = Path.of(value);
                case "timeout" -> timeoutMillis = MaxCtrlConfig.number(file, key, value);
                default -> throw new AdminClient.ApiException(file + ": option '" + key + "' is not supported by "
                        + "sluice ctl (supported: " + String.join(", ", MaxCtrlConfig.SUPPORTED) + ")");
            }
        }
    }

    private static boolean given(CommandLine.ParseResult parsed, String option) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }

    private static SSLContext trusting(Path pem) throws AdminClient.ApiException {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new AdminClient.ApiException("cannot read --tls-ca-cert " + pem + ": " + e.getMessage());
        }
    }

    /** The outcome of {@link #run}: exit code and what was printed. */
    public record Result(int exit, String out, String err) {
    }

    /** Runs {@code sluice ctl ARGS} in-process and captures its output (tests, embedding). */
    public static Result run(String... args) {
        CommandLine cl = commandLine();
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** A command line for {@code sluice ctl} alone (tests, embedding). */
    public static CommandLine commandLine() {
        return new CommandLine(new CtlCommand());
    }
}
