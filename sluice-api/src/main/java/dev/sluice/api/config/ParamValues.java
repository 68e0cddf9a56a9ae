package dev.sluice.api.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parsed, validated values of one configuration object, immutable. Missing parameters answer with their
 * declared default, so plugin code never sees an untyped map or a null for an optional parameter.
 */
public final class ParamValues {
    private static final ParamValues EMPTY = new ParamValues(Map.of());

    private final Map<String, Object> values;

    private ParamValues(Map<String, Object> values) {
        this.values = values;
    }

    public static ParamValues empty() {
        return EMPTY;
    }

    /** @param values parameter name to parsed value (copied) */
    public static ParamValues of(Map<String, Object> values) {
        return new ParamValues(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }

    public <T> T get(Param<T> param) {
        Object value = values.get(param.name());
        return value == null ? param.defaultValue() : param.valueType().cast(value);
    }

    public boolean isSet(Param<?> param) {
        return values.containsKey(param.name());
    }

    /** A copy with one value replaced, for runtime alteration. */
    public <T> ParamValues with(Param<T> param, T value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(param.name(), value);
        return new ParamValues(Collections.unmodifiableMap(copy));
    }

    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
