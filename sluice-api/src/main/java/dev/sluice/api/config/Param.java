package dev.sluice.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One declared parameter: name, kind, default, description, whether it is mandatory and whether it may be
 * changed at runtime. Instances are immutable; the fluent methods return copies, so declarations read as
 * {@code Param.bool("master_accept_reads", true, "…").modifiable()}.
 *
 * <p>Parsing follows MaxScale's value syntax: booleans true/yes/on/1 and false/no/off/0; sizes with IEC
 * ({@code Ki Mi Gi Ti}, ×1024) or SI ({@code k M G T}, ×1000) suffixes; durations with {@code h},
 * {@code m}/{@code min}, {@code s}, {@code ms} (a bare number means seconds, as MaxScale's deprecated
 * unit-less form mostly did); lists separated by commas (or {@code |}, as {@code filters=} uses).
 * Durations and sizes are non-negative unless {@link #range} allows less.
 *
 * @param <T> the parsed value type: Boolean, Long, Duration, String or List&lt;String&gt;
 */
public final class Param<T> {
    /** An extra check on a parsed value, for values whose syntax a kind alone cannot express. */
    @FunctionalInterface
    public interface Check<T> {
        void check(T value) throws ParamException;
    }

    private final String name;
    private final ParamKind kind;
    private final Class<T> valueType;
    private final T defaultValue;
    private final String description;
    private final boolean mandatory;
    private final boolean modifiable;
    private final List<String> enumValues;
    private final long min;
    private final long max;
    private final List<String> aliases;
    private final Map<String, String> valueAliases;
    private final Check<T> check;
    private final String defaultText;
    private final Refusal refusal;

    /**
     * Why Sluice refuses this parameter, and the values it still accepts because they describe what Sluice
     * does anyway (for example {@code admin_gui=false}).
     */
    public record Refusal(String reason, List<String> acceptedValues) {
        public Refusal {
            Objects.requireNonNull(reason, "reason");
            acceptedValues = List.copyOf(acceptedValues);
        }
    }

    private Param(String name, ParamKind kind, Class<T> valueType, T defaultValue, String description,
                  boolean mandatory, boolean modifiable, List<String> enumValues, long min, long max,
                  List<String> aliases, Map<String, String> valueAliases, Check<T> check, String defaultText) {
        this(name, kind, valueType, defaultValue, description, mandatory, modifiable, enumValues, min, max, aliases,
                valueAliases, check, defaultText, null);
    }

    private Param(String name, ParamKind kind, Class<T> valueType, T defaultValue, String description,
                  boolean mandatory, boolean modifiable, List<String> enumValues, long min, long max,
                  List<String> aliases, Map<String, String> valueAliases, Check<T> check, String defaultText,
                  Refusal refusal) {
        this.refusal = refusal;
        this.name = Objects.requireNonNull(name, "name");
        this.kind = kind;
        this.valueType = valueType;
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description, "description");
        this.mandatory = mandatory;
        this.modifiable = modifiable;
        this.enumValues = List.copyOf(enumValues);
        this.min = min;
        this.max = max;
        this.aliases = List.copyOf(aliases);
        this.valueAliases = valueAliases;
        this.check = check;
        this.defaultText = defaultText;
    }

    private static <T> Param<T> make(String name, ParamKind kind, Class<T> type, T def, String description) {
        return new Param<>(name, kind, type, def, description, false, false, List.of(), Long.MIN_VALUE,
                Long.MAX_VALUE, List.of(), Map.of(), null, null, null);
    }

    public static Param<Boolean> bool(String name, boolean def, String description) {
        return make(name, ParamKind.BOOL, Boolean.class, def, description);
    }

    /** A non-negative whole number. */
    public static Param<Long> count(String name, long def, String description) {
        return make(name, ParamKind.COUNT, Long.class, def, description).range(0, Long.MAX_VALUE);
    }

    public static Param<Long> integer(String name, long def, String description) {
        return make(name, ParamKind.INT, Long.class, def, description);
    }

    /** A size in bytes. */
    public static Param<Long> size(String name, long def, String description) {
        return make(name, ParamKind.SIZE, Long.class, def, description).range(0, Long.MAX_VALUE);
    }

    /** A length of time; non-negative unless {@link #range} (in milliseconds) says otherwise. */
    public static Param<Duration> duration(String name, Duration def, String description) {
        return make(name, ParamKind.DURATION, Duration.class, def, description).range(0, Long.MAX_VALUE);
    }

    public static Param<String> enumeration(String name, String def, List<String> values, String description) {
        Param<String> p = make(name, ParamKind.ENUM, String.class, def, description);
        return p.withEnumValues(values);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Param<List<String>> enumList(String name, List<String> def, List<String> values,
                                               String description) {
        Param<List<String>> p = (Param) make(name, ParamKind.ENUM_LIST, List.class, List.copyOf(def), description);
        return p.withEnumValues(values);
    }

    public static Param<String> string(String name, String def, String description) {
        return make(name, ParamKind.STRING, String.class, def, description);
    }

    /**
     * A regular expression, kept as written (MaxScale's {@code /pattern/} slashes included); the module compiles
     * it with its own options and adds a {@link #check} that it compiles.
     */
    public static Param<String> regex(String name, String def, String description) {
        return make(name, ParamKind.REGEX, String.class, def, description);
    }

    public static Param<String> password(String name, String def, String description) {
        return make(name, ParamKind.PASSWORD, String.class, def, description);
    }

    public static Param<String> path(String name, String def, String description) {
        return make(name, ParamKind.PATH, String.class, def, description);
    }

    /** A comma-separated list of server (or other object) names. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Param<List<String>> serverList(String name, String description) {
        return (Param) make(name, ParamKind.SERVER_LIST, List.class, List.of(), description);
    }

    public static Param<String> target(String name, String description) {
        return make(name, ParamKind.TARGET, String.class, null, description);
    }

    public Param<T> mandatory() {
        return new Param<>(name, kind, valueType, defaultValue, description, true, modifiable, enumValues, min, max,
                aliases, valueAliases, check, defaultText, refusal);
    }

    public Param<T> modifiable() {
        return new Param<>(name, kind, valueType, defaultValue, description, mandatory, true, enumValues, min, max,
                aliases, valueAliases, check, defaultText, refusal);
    }

    /** Inclusive bounds for COUNT, INT and SIZE values, and for DURATION values in milliseconds. */
    public Param<T> range(long min, long max) {
        return new Param<>(name, kind, valueType, defaultValue, description, mandatory, modifiable, enumValues,
                min, max, aliases, valueAliases, check, defaultText, refusal);
    }

    /** Other names this parameter answers to in a configuration file (MaxScale's old spellings). */
    public Param<T> alias(String... otherNames) {
        return new Param<>(name, kind, valueType, defaultValue, description, mandatory, modifiable, enumValues,
                min, max, List.of(otherNames), valueAliases, check, defaultText, refusal);
    }

    /**
     * Other spellings accepted for enumeration values, mapped to the declared value they mean (for example
     * {@code TLSv1.2 → TLSv12}); matched case-insensitively like the values themselves.
     */
    public Param<T> valueAliases(Map<String, String> aliasToValue) {
        Map<String, String> lower = new LinkedHashMap<>();
        aliasToValue.forEach((alias, value) -> {
            if (!enumValues.contains(value)) {
                throw new IllegalArgumentException("value alias " + alias + ": " + value + " (expected: one of "
                        + enumValues + ")");
            }
            lower.put(alias.toLowerCase(Locale.ROOT), value);
        });
        return new Param<>(name, kind, valueType, defaultValue, description, mandatory, modifiable, enumValues,
                min, max, aliases, Map.copyOf(lower), check, defaultText, refusal);
    }

    /** Adds a check run on every parsed value, for syntax the kind cannot express by itself. */
    public Param<T> check(Check<T> valueCheck) {
        return new Param<>(name, kind, valueType, defaultValue, description, mandatory, modifiable, enumValues,
                min, max, aliases, valueAliases, Objects.requireNonNull(valueCheck, "valueCheck"), defaultText,
                refusal);
    }

    /** How the documentation shows the default when the default is computed at runtime (or absent). */
    public Param<T> documentedDefault(String text) {
        return new Param<>(name, kind, valueType, defaultValue, description, mandatory, modifiable, enumValues,
                min, max, aliases, valueAliases, check, text, refusal);
    }

    private Param<T> withEnumValues(List<String> values) {
        return new Param<>(name, kind, valueType, defaultValue, description, mandatory, modifiable, values, min,
                max, aliases, valueAliases, check, defaultText, refusal);
    }

    /**
     * Marks the parameter as not supported: loading refuses a configuration that sets it (to a value other than
     * {@code acceptedValues}, which must be what Sluice does anyway), naming file, line and key, and {@code
     * PATCH} refuses to change it. The declaration stays so the message can say why, instead of "unknown".
     */
    public Param<T> notSupported(String reason, String... acceptedValues) {
        return new Param<>(name, kind, valueType, defaultValue, description, mandatory, modifiable, enumValues,
                min, max, aliases, valueAliases, check, defaultText, new Refusal(reason, List.of(acceptedValues)));
    }

    /** Whether Sluice refuses this parameter ({@link #notSupported}). */
    public boolean isRefused() {
        return refusal != null;
    }

    /** The refusal, or null when the parameter is supported. */
    public Refusal refusal() {
        return refusal;
    }

    /**
     * Checks that setting this parameter to the raw value is allowed: a supported parameter always is, a refused
     * one only to one of its accepted values.
     *
     * @throws ParamException saying the parameter is not supported and why
     */
    public void checkSupported(String raw) throws ParamException {
        if (refusal == null) {
            return;
        }
        T value = parse(raw);
        for (String accepted : refusal.acceptedValues()) {
            if (parse(accepted).equals(value)) {
                return;
            }
        }
        throw new ParamException("not supported by Sluice: " + refusal.reason()
                + (refusal.acceptedValues().isEmpty() ? " (remove it from the configuration)"
                : " (only " + String.join(" or ", refusal.acceptedValues()) + " is accepted)"));
    }

    public String name() {
        return name;
    }

    public ParamKind kind() {
        return kind;
    }

    public Class<T> valueType() {
        return valueType;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean isMandatory() {
        return mandatory;
    }

    public boolean isModifiable() {
        return modifiable;
    }

    public List<String> enumValues() {
        return enumValues;
    }

    public List<String> aliases() {
        return aliases;
    }

    /** Whether the configured key names this parameter, by its name or one of its aliases. */
    public boolean answersTo(String key) {
        return name.equals(key) || aliases.contains(key);
    }

    /** The default as the documentation shows it: the documented text if any, else the formatted value. */
    public String defaultText() {
        if (defaultText != null) {
            return defaultText;
        }
        return format(defaultValue);
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    /** Parses a raw configuration value, or explains in the exception what was expected. */
    public T parse(String raw) throws ParamException {
        String v = raw.strip();
        Object parsed = switch (kind) {
            case BOOL -> parseBool(v);
            case COUNT, INT -> checkRange(parseLong(v));
            case SIZE -> checkRange(parseSize(v));
            case DURATION -> parseDuration(v);
            case ENUM -> parseEnum(v);
            case ENUM_LIST -> parseEnumList(v);
            case STRING, PASSWORD, PATH, TARGET, REGEX -> v;
            case SERVER_LIST -> parseList(v);
        };
        T value = valueType.cast(parsed);
        if (check != null) {
            check.check(value);
        }
        return value;
    }

    /** The value in configuration-file syntax, as the REST API and {@code --export-config} show it. */
    public String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Duration d) {
            return formatDuration(d.toMillis());
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static String formatDuration(long ms) {
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) {
            return (s / 3600) + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return (s / 60) + "min";
        }
        return s + "s";
    }

    private static Boolean parseBool(String v) throws ParamException {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return Boolean.TRUE;
            case "false", "no", "off", "0":
                return Boolean.FALSE;
            default:
                throw new ParamException("'" + v + "' is not a boolean (expected: true, false, yes, no, on, off, 1, 0)");
        }
    }

    private static long parseLong(String v) throws ParamException {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ParamException("'" + v + "' is not a whole number");
        }
    }

    private long checkRange(long value) throws ParamException {
        if (value < min || value > max) {
            throw new ParamException(value + " is out of range (expected: " + rangeText(min, max, "") + ")");
        }
        return value;
    }

    private static String rangeText(long min, long max, String unit) {
        if (max == Long.MAX_VALUE) {
            return "at least " + min + unit;
        }
        return min + unit + " to " + max + unit;
    }

    static long parseSize(String v) throws ParamException {
        int digits = leadingNumberEnd(v);
        if (digits == 0 || v.startsWith("-")) {
            throw new ParamException("'" + v + "' is not a size (expected: a number with an optional suffix "
                    + "Ki, Mi, Gi, Ti, k, M, G or T)");
        }
        long number = parseNumber(v, digits);
        String suffix = v.substring(digits).strip();
        long multiplier = switch (suffix) {
            case "" -> 1L;
            case "Ki", "ki", "KiB" -> 1L << 10;
            case "Mi", "mi", "MiB" -> 1L << 20;
            case "Gi", "gi", "GiB" -> 1L << 30;
            case "Ti", "ti", "TiB" -> 1L << 40;
            case "k", "K" -> 1_000L;
            case "M", "m" -> 1_000_000L;
            case "G", "g" -> 1_000_000_000L;
            case "T", "t" -> 1_000_000_000_000L;
            default -> throw new ParamException("'" + v + "' has an unknown size suffix '" + suffix
                    + "' (expected: Ki, Mi, Gi, Ti, k, M, G or T)");
        };
        try {
            return Math.multiplyExact(number, multiplier);
        } catch (ArithmeticException e) {
            throw new ParamException("'" + v + "' is too large");
        }
    }

    /** The end of the leading (optionally negative) whole number, or 0 when there is none. */
    private static int leadingNumberEnd(String v) {
        int i = v.startsWith("-") ? 1 : 0;
        int start = i;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        return i == start ? 0 : i;
    }

    private static long parseNumber(String v, int end) throws ParamException {
        try {
            return Long.parseLong(v.substring(0, end));
        } catch (NumberFormatException e) {
            throw new ParamException("'" + v + "' is too large");
        }
    }

    private Duration parseDuration(String v) throws ParamException {
        int digits = leadingNumberEnd(v);
        if (digits == 0) {
            throw new ParamException("'" + v + "' is not a duration (expected: a number with h, m, min, s or ms, "
                    + "for example 10s)");
        }
        long number = parseNumber(v, digits);
        String unit = v.substring(digits).strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            d = switch (unit) {
                case "h" -> Duration.ofHours(number);
                case "m", "min" -> Duration.ofMinutes(number);
                case "s", "" -> Duration.ofSeconds(number);
                case "ms" -> Duration.ofMillis(number);
                default -> throw new ParamException("'" + v + "' has an unknown duration unit '" + unit
                        + "' (expected: h, m, min, s or ms)");
            };
            long ms = d.toMillis();
            if (ms < min || ms > max) {
                throw new ParamException("'" + v + "' is out of range (expected: " + rangeText(min, max, "ms")
                        + ")");
            }
        } catch (ArithmeticException e) {
            throw new ParamException("'" + v + "' is too large");
        }
        return d;
    }

    private String parseEnum(String v) throws ParamException {
        for (String allowed : enumValues) {
            if (allowed.equalsIgnoreCase(v)) {
                return allowed;
            }
        }
        String aliased = valueAliases.get(v.toLowerCase(Locale.ROOT));
        if (aliased != null) {
            return aliased;
        }
        throw new ParamException("'" + v + "' is not one of " + String.join(", ", enumValues));
    }

    private List<String> parseEnumList(String v) throws ParamException {
        List<String> out = new ArrayList<>();
        for (String item : parseList(v)) {
            out.add(parseEnum(item));
        }
        return List.copyOf(out);
    }

    private static List<String> parseList(String v) {
        List<String> out = new ArrayList<>();
        for (String item : v.split("[,|]")) {
            String s = item.strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return name + " (" + kind.restName() + ")";
    }
}
