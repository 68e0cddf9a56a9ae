package dev.sluice.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads a MaxScale-format configuration: the main file, then every {@code *.cnf} below
 * {@code <main file>.d/} (recursively, in path order), as MaxScale reads {@code /etc/maxscale.cnf.d/} next to
 * {@code /etc/maxscale.cnf}. Every problem in every file is collected before failing, so one run shows them
 * all. Stateless; safe to call from any thread.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static SluiceConfig load(Path mainFile, ModuleRegistry modules) throws ConfigException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(mainFile.toString(), read(mainFile));
        Path dir = Path.of(mainFile + ".d");
        if (Files.isDirectory(dir)) {
            for (Path extra : cnfFiles(dir)) {
                files.put(extra.toString(), read(extra));
            }
        }
        return parse(files, modules, System::getenv);
    }

    /** One file's text, as if it were the main file with no {@code .d} directory. */
    public static SluiceConfig parse(String text, String fileName, ModuleRegistry modules) throws ConfigException {
        return parse(Map.of(fileName, text), modules, System::getenv);
    }

    /**
     * Several files' texts, the first being the main file, with environment variables looked up through
     * {@code environment} (for {@code substitute_variables}).
     */
    public static SluiceConfig parse(Map<String, String> files, ModuleRegistry modules,
                                     Function<String, String> environment) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<IniSection> sections = new ArrayList<>();
        boolean main = true;
        for (Map.Entry<String, String> file : files.entrySet()) {
            sections.addAll(IniParser.parse(file.getValue(), file.getKey(), main, problems::add));
            main = false;
        }
        SectionResolver resolver = new SectionResolver(sections, problems::add);
        SluiceConfig config = new ConfigAssembler(modules, problems::add, environment).assemble(resolver);
        if (!problems.isEmpty()) {
            List<String> order = new ArrayList<>(files.keySet());
            problems.sort(Comparator.comparingInt((ConfigProblem p) -> order.indexOf(p.file()))
                    .thenComparingInt(ConfigProblem::line));
            throw new ConfigException(problems);
        }
        return config;
    }

    private static String read(Path file) throws ConfigException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, null, null,
                    "cannot read the file: " + e)));
        }
    }

    private static List<Path> cnfFiles(Path dir) throws ConfigException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".cnf"))
                    .sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException(List.of(new ConfigProblem(dir.toString(), 0, null, null,
                    "cannot read the directory: " + e)));
        }
    }
}
