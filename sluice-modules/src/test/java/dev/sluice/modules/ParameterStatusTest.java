package dev.sluice.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.api.Module;
import dev.sluice.api.ModuleKind;
import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamException;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ConfigProblem;
import dev.sluice.server.config.FilterParams;
import dev.sluice.server.config.GlobalParams;
import dev.sluice.server.config.ListenerParams;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.MonitorParams;
import dev.sluice.server.config.ServerParams;
import dev.sluice.server.config.ServiceParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No inert parameter: every parameter declared by the core ({@code [maxscale]}, server, service, listener,
 * monitor, filter) and by every module found through ServiceLoader has a line in {@code parameter-status.tsv}:
 * either {@code refused} (the declaration says {@link Param#notSupported}, and loading a configuration that sets
 * it fails with "not supported" at its file, line and key — checked here for each one), or the name of the test
 * class that proves Sluice acts on it (the class must exist and must use the parameter's name; pure
 * configuration-parsing tests do not count). A new parameter without a line, a line for a parameter that is no
 * longer declared, or a refused parameter that loads all fail this test.
 */
class ParameterStatusTest {
    private static final Path STATUS = Path.of("src", "test", "resources", "parameter-status.tsv");
    /** Tests that only parse configurations: they prove a parameter is accepted, not that it acts. */
    private static final Set<String> NOT_EVIDENCE = Set.of("ParameterStatusTest", "ConfigLoaderTest",
            "ConfigErrorsTest", "MaxScaleExamplesTest", "ParamTest", "ParamSpecTest", "ExportConfigTest",
            "ConfigurationDocTest", "ModulesDocTest", "ConfigSectionsTest", "ModuleRegistryTest");

    private final ModuleRegistry modules = ModuleRegistry.load();

    /** Every declared parameter by scope: the core section types, then each module by name. */
    private Map<String, ParamSpec> scopes() {
        Map<String, ParamSpec> scopes = new LinkedHashMap<>();
        scopes.put("maxscale", GlobalParams.SPEC);
        scopes.put("server", ServerParams.SPEC);
        scopes.put("service", ServiceParams.SPEC);
        scopes.put("listener", ListenerParams.SPEC);
        scopes.put("monitor", MonitorParams.SPEC);
        scopes.put("filter", FilterParams.SPEC);
        for (Module m : modules.all()) {
            scopes.put(m.name(), m.spec());
        }
        return scopes;
    }

    private static Map<String, String> registry() throws IOException {
        Map<String, String> status = new LinkedHashMap<>();
        for (String line : Files.readAllLines(STATUS, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            assertThat(f).as("line '%s' of %s (expected: scope, parameter, evidence)", line, STATUS).hasSize(3);
            assertThat(status.put(f[0] + "\t" + f[1], f[2])).as("twice in %s: %s", STATUS, line).isNull();
        }
        return status;
    }

    @Test
    void everyDeclaredParameterHasAStatusAndNoStatusIsStale() throws IOException {
        Map<String, String> registry = registry();
        Set<String> declared = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        scopes().forEach((scope, spec) -> {
            for (Param<?> p : spec.params()) {
                String key = scope + "\t" + p.name();
                declared.add(key);
                if (!registry.containsKey(key)) {
                    missing.add(key + "\t" + (p.isRefused() ? "refused" : "?"));
                }
            }
        });
        assertThat(missing).as("declared parameters without a line in %s", STATUS).isEmpty();
        assertThat(new TreeSet<>(registry.keySet())).as("lines in %s for parameters not declared", STATUS)
                .isSubsetOf(declared);
    }

    @Test
    void actedOnParametersNameATestThatUsesThem() throws IOException {
        Map<String, Path> tests = sources("src/test/java");
        Map<String, Path> mains = sources("src/main/java");
        List<String> problems = new ArrayList<>();
        Map<String, ParamSpec> scopes = scopes();
        registry().forEach((key, evidence) -> {
            String[] sk = key.split("\t");
            Param<?> p = scopes.getOrDefault(sk[0], ParamSpec.of()).find(sk[1]).orElse(null);
            if (p == null) {
                return; // reported as stale by the other test
            }
            if (evidence.equals("refused")) {
                if (!p.isRefused()) {
                    problems.add(key + ": listed as refused but declared without notSupported(...)");
                }
                return;
            }
            if (p.isRefused()) {
                problems.add(key + ": declared notSupported but listed as acted on by " + evidence);
                return;
            }
            String problem = evidence.startsWith("test:") ? testEvidence(tests, p, evidence.substring(5))
                    : evidence.startsWith("reads:") ? readEvidence(mains, p, evidence.substring(6))
                    : "evidence '" + evidence + "' (expected: refused, test:Class or reads:Class)";
            if (problem != null) {
                problems.add(key + ": " + problem);
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void loadingRefusesEveryRefusedParameterWithFileLineAndKey() {
        List<String> problems = new ArrayList<>();
        scopes().forEach((scope, spec) -> {
            for (Param<?> p : spec.params()) {
                if (!p.isRefused()) {
                    continue;
                }
                String value = refusedValue(p);
                if (value == null) {
                    problems.add(scope + " " + p.name() + ": no value of its type is refused");
                    continue;
                }
                String text = config(scope, p.name() + "=" + value);
                int line = lineOf(text, p.name() + "=");
                try {
                    ConfigLoader.parse(text, "refused.cnf", modules);
                    problems.add(scope + " " + p.name() + "=" + value + ": loaded although refused");
                } catch (ConfigException e) {
                    boolean found = e.problems().stream().anyMatch(pr -> refusal(pr, p.name(), line));
                    if (!found) {
                        problems.add(scope + " " + p.name() + "=" + value + ": no 'not supported' problem at "
                                + "refused.cnf:" + line + " but " + e.problems());
                    }
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void acceptedValuesOfARefusedParameterLoad() throws ConfigException {
        Param<?> superUser = GlobalParams.LOG_WARN_SUPER_USER;
        assertThat(superUser.isRefused()).isTrue();
        ConfigLoader.parse(config("maxscale", "log_warn_super_user=false"), "ok.cnf", modules);
    }

    @Test
    void theBaseConfigurationsLoad() throws ConfigException {
        for (String scope : scopes().keySet()) {
            ConfigLoader.parse(config(scope, ""), "base.cnf", modules);
        }
    }

    private static boolean refusal(ConfigProblem pr, String key, int line) {
        return "refused.cnf".equals(pr.file()) && pr.line() == line && key.equals(pr.key())
                && pr.message().contains("not supported");
    }

    /** A value that parses but that the refusal does not accept. */
    private static String refusedValue(Param<?> p) {
        List<String> candidates = new ArrayList<>(List.of("true", "false", "1", "2", "10s", "x", "/tmp/x"));
        candidates.addAll(p.enumValues());
        for (String c : candidates) {
            try {
                p.parse(c);
                p.checkSupported(c);
            } catch (ParamException e) {
                if (e.getMessage().contains("not supported")) {
                    return c;
                }
            }
        }
        return null;
    }

    private static int lineOf(String text, String prefix) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(prefix)) {
                return i + 1;
            }
        }
        throw new IllegalStateException(prefix + " not in " + text);
    }

    /** A valid configuration of one object of each type, {@code line} added to the section of {@code scope}. */
    private String config(String scope, String line) {
        ModuleKind kind = modules.all().stream().filter(m -> m.name().equals(scope)).map(Module::kind).findFirst()
                .orElse(null);
        String router = kind == ModuleKind.ROUTER ? scope : "readconnroute";
        String monitor = kind == ModuleKind.MONITOR ? scope : "mariadbmon";
        String filter = kind == ModuleKind.FILTER ? scope : "regexfilter";
        String filterParams = switch (filter) {
            case "regexfilter" -> "match=a\nreplace=b\n";
            case "namedserverfilter" -> "match01=a\ntarget01=db1\n";
            default -> "";
        };
        return "[maxscale]\nadmin_enabled=false\n" + (scope.equals("maxscale") ? line + "\n" : "") + "\n"
                + "[db1]\ntype=server\naddress=127.0.0.1\nport=3306\n" + (scope.equals("server") ? line + "\n" : "")
                + "\n[Mon]\ntype=monitor\nmodule=" + monitor + "\nservers=db1\nuser=u\npassword=p\n"
                + (scope.equals("monitor") || kind == ModuleKind.MONITOR ? line + "\n" : "")
                + "\n[F]\ntype=filter\nmodule=" + filter + "\n" + filterParams
                + (scope.equals("filter") || kind == ModuleKind.FILTER ? line + "\n" : "")
                + "\n[Svc]\ntype=service\nrouter=" + router + "\nservers=db1\nuser=u\npassword=p\nfilters=F\n"
                + (scope.equals("service") || kind == ModuleKind.ROUTER ? line + "\n" : "")
                + "\n[L]\ntype=listener\nservice=Svc\nport=4006\n" + (scope.equals("listener") ? line + "\n" : "");
    }

    private static String testEvidence(Map<String, Path> tests, Param<?> p, String test) {
        if (NOT_EVIDENCE.contains(test)) {
            return test + " only parses configurations; name a test of the behaviour";
        }
        Path source = tests.get(test);
        if (source == null) {
            return "evidence test " + test + " does not exist";
        }
        return mentions(read(source), p) ? null : "evidence test " + test + " never uses " + p.name();
    }

    /**
     * The class must read the parameter's value: a {@code .get(X)} or {@code .isSet(X)} whose {@code X} (or
     * {@code Owner.X}) is a constant declared with this parameter's name, in that class or in {@code Owner}.
     */
    private static String readEvidence(Map<String, Path> mains, Param<?> p, String cls) {
        Path source = mains.get(cls);
        if (source == null) {
            return "reading class " + cls + " does not exist";
        }
        Matcher m = READ.matcher(read(source));
        while (m.find()) {
            String owner = m.group(1) == null ? cls : m.group(1);
            if (p.name().equals(declaredName(mains, owner, m.group(2)))) {
                return null;
            }
        }
        return cls + " never reads " + p.name() + " with get(...) or isSet(...)";
    }

    private static final Pattern READ = Pattern.compile("\\.(?:get|isSet)\\(\\s*(?:(\\w+)\\.)?([A-Z][A-Z_0-9]*)\\s*\\)");

    /** The parameter name a constant is declared with ({@code X = Param.kind("name", …)} or a re-export). */
    private static String declaredName(Map<String, Path> mains, String owner, String constant) {
        Path source = mains.get(owner);
        if (source == null) {
            return null;
        }
        String text = read(source);
        Matcher d = Pattern.compile("\\b" + constant + "\\s*=\\s*(?:[\\w.]+\\.)?\\w+\\(\\s*\"([^\"]+)\"").matcher(text);
        if (d.find()) {
            return d.group(1);
        }
        Matcher re = Pattern.compile("\\b" + constant + "\\s*=\\s*(\\w+)\\.([A-Z][A-Z_0-9]*)\\s*;").matcher(text);
        return re.find() ? declaredName(mains, re.group(1), re.group(2)) : null;
    }

    private static String read(Path source) {
        try {
            return Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fail("cannot read " + source + ": " + e);
        }
    }

    private static Map<String, Path> sources(String under) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(Path.of(".."))) {
            for (Path module : dirs.filter(d -> Files.isDirectory(d.resolve(under))).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve(under))) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                        String name = f.getFileName().toString();
                        out.put(name.substring(0, name.length() - ".java".length()), f);
                    });
                }
            }
        }
        return out;
    }

    /**
     * Whether the test's text uses the parameter's name (or an alias). A member of a numbered family
     * ({@code match01} … {@code match25}) is proven by a test of any member: they are one declaration in a loop.
     */
    private static boolean mentions(String text, Param<?> p) {
        if (text.contains(p.name()) || p.aliases().stream().anyMatch(text::contains)) {
            return true;
        }
        Matcher numbered = Pattern.compile("^(.*[a-z])\\d\\d$").matcher(p.name());
        return numbered.matches() && Pattern.compile("\\b" + numbered.group(1) + "\\d\\d\\b").matcher(text).find();
    }
}
