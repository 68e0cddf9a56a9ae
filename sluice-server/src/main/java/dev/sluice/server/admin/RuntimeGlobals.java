package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamException;
import dev.sluice.api.config.ParamKind;
import dev.sluice.api.config.ParamValues;
import dev.sluice.server.config.GlobalParams;
import dev.sluice.server.logging.Logs;
import dev.sluice.server.session.Workers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code [maxscale]} parameters as they are now: the configured values plus what {@code PATCH
 * /v1/maxscale} changed since. A patch is checked as a whole (every key known, modifiable, of the right type
 * and valid) before anything changes, so a bad request changes nothing. Accepted values are applied:
 * the logging parameters ({@link Logs#apply}), the write-queue water marks, {@code passive} (read by the
 * monitors); the others are read where they are used. A refused parameter (not supported) cannot be set.
 *
 * <p>Written on the admin event loop only; {@link #values()} is a volatile immutable snapshot any thread
 * may read.
 */
final class RuntimeGlobals {
    /** A refused patch, naming the parameter. */
    static final class PatchException extends Exception {
        PatchException(String message) {
            super(message, null, false, false);
        }
    }

    /** The parameters {@link Logs#apply} acts on. */
    static final List<Param<?>> LOGGING = List.of(GlobalParams.MAXLOG, GlobalParams.SYSLOG, GlobalParams.LOG_WARNING,
            GlobalParams.LOG_NOTICE, GlobalParams.LOG_INFO, GlobalParams.LOG_DEBUG, GlobalParams.MS_TIMESTAMP,
            GlobalParams.LOG_THROTTLING, GlobalParams.LOG_FORMAT, GlobalParams.LOG_AUGMENTATION);

    private final Workers workers;
    private volatile ParamValues values; // written by the admin event loop
    private java.util.function.Consumer<Boolean> passiveListener = on -> { };

    RuntimeGlobals(ParamValues configured, Workers workers) {
        this.values = configured;
        this.workers = workers;
    }

    ParamValues values() {
        return values;
    }

    /** Where a change of {@code passive} goes (the monitors read it from the server). */
    void onPassiveChange(java.util.function.Consumer<Boolean> listener) {
        this.passiveListener = listener;
    }

    /** Checks every entry of {@code parameters} (a JSON object), then applies them all; on error nothing changes. */
    void patch(JsonNode parameters) throws PatchException {
        if (!parameters.isObject()) {
            throw new PatchException("Invalid value for 'data.attributes.parameters' (expected: an object)");
        }
        Map<String, Object> parsed = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        parameters.fields().forEachRemaining(e -> {
            try {
                Param<?> p = find(e.getKey());
                parsed.put(p.name(), parse(p, e.getValue()));
            } catch (PatchException ex) {
                problems.add(ex.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new PatchException(String.join("; ", problems));
        }
        Map<String, Object> next = new LinkedHashMap<>(values.asMap());
        next.putAll(parsed);
        ParamValues updated = ParamValues.of(next);
        if (updated.get(GlobalParams.WRITEQ_LOW_WATER) > updated.get(GlobalParams.WRITEQ_HIGH_WATER)) {
            throw new PatchException("Invalid value for 'writeq_low_water': "
                    + updated.get(GlobalParams.WRITEQ_LOW_WATER) + " (expected: at most writeq_high_water, "
                    + updated.get(GlobalParams.WRITEQ_HIGH_WATER) + ")");
        }
        values = updated;
        apply(parsed.keySet(), updated);
    }

    private static Param<?> find(String key) throws PatchException {
        Optional<Param<?>> p = GlobalParams.SPEC.params().stream().filter(x -> x.answersTo(key)).findFirst();
        if (p.isEmpty()) {
            throw new PatchException("Unknown parameter '" + key + "'");
        }
        if (!p.get().isModifiable()) {
            throw new PatchException("Parameter '" + key + "' cannot be modified at runtime");
        }
        return p.get();
    }

    /** The JSON value as the parameter's value: JSON types must match the kind, then the text must parse. */
    static Object parse(Param<?> p, JsonNode v) throws PatchException {
        String text;
        ParamKind kind = p.kind();
        if (v.isBoolean() && kind == ParamKind.BOOL) {
            text = v.asText();
        } else if (v.isIntegralNumber() && (kind == ParamKind.COUNT || kind == ParamKind.INT
                || kind == ParamKind.SIZE || kind == ParamKind.DURATION)) {
            text = v.asText();
        } else if (v.isArray() && (kind == ParamKind.ENUM_LIST || kind == ParamKind.SERVER_LIST)) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : v) {
                if (!item.isTextual()) {
                    throw wrongType(p, v);
                }
                items.add(item.asText());
            }
            text = String.join(",", items);
        } else if (v.isTextual()) {
            text = v.asText();
        } else {
            throw wrongType(p, v);
        }
        try {
            p.checkSupported(text);
            return p.parse(text);
        } catch (ParamException e) {
            throw new PatchException("Invalid value for '" + p.name() + "': " + e.getMessage());
        }
    }

    private static PatchException wrongType(Param<?> p, JsonNode v) {
        String expected = switch (p.kind()) {
            case BOOL -> "a boolean";
            case COUNT, INT, SIZE, DURATION -> "a number or a string";
            case ENUM_LIST, SERVER_LIST -> "an array of strings or a comma-separated string";
            default -> "a string";
        };
        return new PatchException("Invalid value for '" + p.name() + "': " + v + " is a " + v.getNodeType()
                .name().toLowerCase(java.util.Locale.ROOT) + " (expected: " + expected + ")");
    }

    private void apply(java.util.Set<String> changed, ParamValues v) {
        if (LOGGING.stream().anyMatch(p -> changed.contains(p.name()))) {
            Logs.apply(v);
        }
        if (changed.contains(GlobalParams.WRITEQ_LOW_WATER.name())
                || changed.contains(GlobalParams.WRITEQ_HIGH_WATER.name())) {
            workers.setWaterMark(v.get(GlobalParams.WRITEQ_LOW_WATER), v.get(GlobalParams.WRITEQ_HIGH_WATER));
        }
        if (changed.contains(GlobalParams.RETAIN_LAST_STATEMENTS.name())
                || changed.contains(GlobalParams.DUMP_LAST_STATEMENTS.name())) {
            workers.setStatementRetention(v.get(GlobalParams.RETAIN_LAST_STATEMENTS),
                    v.get(GlobalParams.DUMP_LAST_STATEMENTS));
        }
        if (changed.contains(GlobalParams.SESSION_TRACE.name())
                || changed.contains(GlobalParams.SESSION_TRACE_MATCH.name())) {
            workers.setSessionTrace(v.get(GlobalParams.SESSION_TRACE), v.get(GlobalParams.SESSION_TRACE_MATCH));
        }
        if (changed.contains(GlobalParams.PASSIVE.name())) {
            passiveListener.accept(v.get(GlobalParams.PASSIVE));
        }
    }
}
