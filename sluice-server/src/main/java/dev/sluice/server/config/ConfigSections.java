package dev.sluice.server.config;

import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The object sections of a configuration as text values ({@code key=value}, as a file would hold them), the
 * form in which runtime changes are made: a change edits a copy of these sections, and the copy is validated
 * by the very loader that reads configuration files ({@link #validate}), so a runtime change is accepted
 * exactly when the same text in a file would be. Immutable; {@code with}/{@code without} return copies.
 */
public final class ConfigSections {
    /** The object kinds, as written after {@code type=}. */
    public static final List<String> TYPES = List.of("server", "service", "listener", "monitor", "filter");

    /** One object: its name, its {@code type=} value and its parameters in writing order (type excluded). */
    public record Section(String name, String type, Map<String, String> params) {
        public Section {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }

        public String param(String key) {
            return params.get(key);
        }

        public Section with(String key, String value) {
            Map<String, String> copy = new LinkedHashMap<>(params);
            if (value == null) {
                copy.remove(key);
            } else {
                copy.put(key, value);
            }
            return new Section(name, type, copy);
        }
    }

    private final Map<String, Section> sections;

    private ConfigSections(Map<String, Section> sections) {
        this.sections = Collections.unmodifiableMap(sections);
    }

    /** The sections equivalent to a loaded configuration: every set parameter, formatted as in a file. */
    public static ConfigSections of(SluiceConfig config) {
        Map<String, Section> out = new LinkedHashMap<>();
        config.servers().values().forEach(s -> out.put(s.name(), section(s.name(), "server", s.values())));
        config.monitors().values().forEach(m -> out.put(m.name(), section(m.name(), "monitor", m.values())));
        config.filters().values().forEach(f -> out.put(f.name(), section(f.name(), "filter", f.values())));
        config.services().values().forEach(s -> out.put(s.name(), section(s.name(), "service", s.values())));
        config.listeners().values().forEach(l -> out.put(l.name(), section(l.name(), "listener", l.values())));
        return new ConfigSections(out);
    }

    /** Sections as given, in order (one persisted object, say). */
    static ConfigSections of(List<Section> list) {
        Map<String, Section> out = new LinkedHashMap<>();
        list.forEach(s -> out.put(s.name(), s));
        return new ConfigSections(out);
    }

    private static Section section(String name, String type, ParamValues values) {
        Map<String, String> params = new LinkedHashMap<>();
        values.asMap().forEach((key, value) -> params.put(key,
                key.equals(ServiceParams.FILTERS.name()) && value instanceof List<?> chain
                        ? String.join("|", chain.stream().map(String::valueOf).toList()) // as MaxScale writes it
                        : format(value)));
        return new Section(name, type, params);
    }

    /** A value in file syntax (the formatting of {@link Param#format}, which does not depend on the param). */
    static String format(Object value) {
        return FORMATTER.format(value);
    }

    private static final Param<String> FORMATTER = Param.string("value", "", "formats values");

    public Optional<Section> get(String name) {
        return Optional.ofNullable(sections.get(name));
    }

    public Map<String, Section> all() {
        return sections;
    }

    public List<Section> ofType(String type) {
        return sections.values().stream().filter(s -> s.type().equals(type)).toList();
    }

    /** A copy with {@code section} added, or replacing the section of the same name in place. */
    public ConfigSections with(Section section) {
        Map<String, Section> copy = new LinkedHashMap<>(sections);
        copy.put(section.name(), section);
        return new ConfigSections(copy);
    }

    public ConfigSections without(String name) {
        Map<String, Section> copy = new LinkedHashMap<>(sections);
        copy.remove(name);
        return new ConfigSections(copy);
    }

    /**
     * The whole effective configuration in file syntax: the {@code [maxscale]} values that are set, then every
     * object ({@code --export-config}). Loading the text gives the same configuration back.
     */
    public static String export(SluiceConfig config) {
        StringBuilder sb = new StringBuilder("[maxscale]\n");
        config.global().values().asMap().forEach((k, v) -> sb.append(k).append('=').append(format(v)).append('\n'));
        return sb.append('\n').append(of(config).toIni()).toString();
    }

    /** The sections in configuration-file syntax, in order. */
    public String toIni() {
        StringBuilder sb = new StringBuilder();
        for (Section s : sections.values()) {
            sb.append('[').append(s.name()).append("]\ntype=").append(s.type()).append('\n');
            s.params().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Validates the sections as the configuration loader validates files and returns the typed configuration
     * with {@code global} as its {@code [maxscale]} values.
     *
     * @throws ConfigException with every problem; the file name in them is {@code runtime}
     */
    public SluiceConfig validate(GlobalConfig global, ModuleRegistry modules) throws ConfigException {
        SluiceConfig parsed = ConfigLoader.parse(toIni(), "runtime", modules);
        return new SluiceConfig(global, parsed.servers(), parsed.services(), parsed.listeners(), parsed.monitors(),
                parsed.filters());
    }

    /** The spec a section's parameters are checked against (generic plus module), for modifiability checks. */
    public static Optional<ParamSpec> spec(Section s, ModuleRegistry modules) {
        return switch (s.type()) {
            case "server" -> Optional.of(ServerParams.SPEC);
            case "listener" -> Optional.of(ListenerParams.SPEC);
            case "service" -> moduleSpec(s.param(ServiceParams.ROUTER.name()), dev.sluice.api.ModuleKind.ROUTER,
                    modules).map(ServiceParams.SPEC::plus);
            case "monitor" -> moduleSpec(s.param(MonitorParams.MODULE.name()), dev.sluice.api.ModuleKind.MONITOR,
                    modules).map(MonitorParams.SPEC::plus);
            case "filter" -> moduleSpec(s.param(FilterParams.MODULE.name()), dev.sluice.api.ModuleKind.FILTER,
                    modules).map(FilterParams.SPEC::plus);
            default -> Optional.empty();
        };
    }

    private static Optional<ParamSpec> moduleSpec(String module, dev.sluice.api.ModuleKind kind,
                                                  ModuleRegistry modules) {
        return module == null ? Optional.empty() : modules.find(kind, module).map(dev.sluice.api.Module::spec);
    }

    /** The names of sections of {@code type} whose list parameter {@code key} contains {@code name}. */
    public List<String> referencing(String type, String key, String name) {
        List<String> out = new ArrayList<>();
        for (Section s : ofType(type)) {
            String v = s.param(key);
            if (v != null && splitList(v).contains(name)) {
                out.add(s.name());
            }
        }
        return out;
    }

    public static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String t = part.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
