package dev.sluice.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runtime changes kept across restarts (MaxScale's {@code persist_runtime_changes} and
 * {@code load_persisted_configs}): each object created or altered at runtime is written as one
 * {@code NAME.cnf} under {@code persistdir}, a destroyed one's file is deleted; at the next start those files
 * override the static configuration's sections of the same name and add the others.
 *
 * <p>As MaxScale, {@code persistdir} defaults to {@code <datadir>/maxscale.cnf.d}, so changes survive a restart
 * without further settings; {@code persist_runtime_changes=false} / {@code load_persisted_configs=false} turn
 * writing / reading off. A static object destroyed at runtime comes back at the next start (its section is still
 * in the static file). Stateless.
 */
public final class PersistedChanges {
    private PersistedChanges() {
    }

    /** The directory runtime changes go to, or null when persistence is off. */
    public static Path directory(GlobalConfig global, boolean forLoading) {
        var v = global.values();
        boolean on = forLoading ? v.get(GlobalParams.LOAD_PERSISTED_CONFIGS) : v.get(GlobalParams.PERSIST_RUNTIME_CHANGES);
        return on ? persistdir(v) : null;
    }

    /** {@code persistdir}, by default {@code maxscale.cnf.d} under {@code datadir} (as MaxScale's default). */
    public static Path persistdir(dev.sluice.api.config.ParamValues v) {
        return v.isSet(GlobalParams.PERSISTDIR) ? Path.of(v.get(GlobalParams.PERSISTDIR))
                : Path.of(v.get(GlobalParams.DATADIR)).resolve("maxscale.cnf.d");
    }

    /**
     * Writes the objects that differ between {@code before} and {@code after} and deletes the files of those
     * that are gone. Each file is written to a temporary name and moved into place.
     */
    public static void save(Path dir, ConfigSections before, ConfigSections after) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, ConfigSections.Section> e : after.all().entrySet()) {
            if (!e.getValue().equals(before.all().get(e.getKey()))) {
                Path tmp = dir.resolve(e.getKey() + ".cnf.tmp");
                Files.writeString(tmp, ConfigSections.of(List.of(e.getValue())).toIni());
                Files.move(tmp, dir.resolve(e.getKey() + ".cnf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        for (String name : before.all().keySet()) {
            if (!after.all().containsKey(name)) {
                Files.deleteIfExists(dir.resolve(name + ".cnf"));
            }
        }
    }

    /**
     * The static configuration with the persisted objects applied (when {@code load_persisted_configs} and
     * {@code persistdir} say so), validated as a whole.
     *
     * @throws ConfigException naming the persisted file for a malformed one, or the object for a bad value
     */
    public static SluiceConfig load(SluiceConfig staticConfig, ModuleRegistry modules) throws ConfigException {
        Path dir = directory(staticConfig.global(), true);
        if (dir == null || !Files.isDirectory(dir)) {
            return staticConfig;
        }
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigSections sections = ConfigSections.of(staticConfig);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".cnf")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(dir.toString(), 0, null, null,
                    "cannot read the persisted configuration: " + e)));
        }
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                problems.add(new ConfigProblem(file.toString(), 0, null, null, "cannot read the file: " + e));
                continue;
            }
            for (IniSection s : IniParser.parse(text, file.toString(), false, problems::add)) {
                IniEntry type = s.entry(SectionResolver.TYPE);
                if (type == null) {
                    problems.add(s.problem(SectionResolver.TYPE, "missing section type"));
                    continue;
                }
                Map<String, String> params = new java.util.LinkedHashMap<>();
                s.entries().forEach((k, v) -> {
                    if (!k.equals(SectionResolver.TYPE)) {
                        params.put(k, v.value());
                    }
                });
                sections = sections.with(new ConfigSections.Section(s.name(), type.value().strip(), params));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return sections.validate(staticConfig.global(), modules);
    }
}
