package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.config.Param;
import dev.sluice.api.config.ParamKind;
import dev.sluice.api.config.ParamSpec;
import dev.sluice.api.config.ParamValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Builders for MaxScale's JSON:API documents: {@code {"links":{"self":…},"data":…}} around resources
 * {@code {"id","type","attributes","relationships","links"}}, and {@code {"errors":[{"detail":…}]}}.
 */
final class JsonApi {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String MASKED_PASSWORD = "*****";

    private JsonApi() {
    }

    /** One resource object; {@code base} is the scheme and authority, e.g. {@code http://127.0.0.1:8989}. */
    static ObjectNode resource(String base, String type, String id, ObjectNode attributes,
                               ObjectNode relationships) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("id", id);
        r.put("type", type);
        r.putObject("links").put("self", base + "/v1/" + type + "/" + id + "/");
        r.set("attributes", attributes);
        if (relationships != null) {
            r.set("relationships", relationships);
        }
        return r;
    }

    /** A top-level document: the resource or the array of resources, and the request's own link. */
    static ObjectNode document(String selfLink, JsonNode data) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.putObject("links").put("self", selfLink);
        doc.set("data", data);
        return doc;
    }

    /** A relationship to resources of one type: {@code {"links":{"self":…},"data":[{"id","type"}…]}}. */
    static ObjectNode relationship(String base, String type, Collection<String> ids) {
        ObjectNode rel = MAPPER.createObjectNode();
        rel.putObject("links").put("self", base + "/v1/" + type + "/");
        ArrayNode data = rel.putArray("data");
        for (String id : ids) {
            data.addObject().put("id", id).put("type", type);
        }
        return rel;
    }

    static ObjectNode errors(String detail) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.putArray("errors").addObject().put("detail", detail);
        return doc;
    }

    /** Every parameter of {@code spec} with its effective value; passwords masked as MaxScale masks them. */
    static ObjectNode parameters(ParamSpec spec, ParamValues values) {
        ObjectNode out = MAPPER.createObjectNode();
        for (Param<?> p : spec.params()) {
            Object v = values.get(p);
            if (p.kind() == ParamKind.PASSWORD) {
                out.put(p.name(), v == null || v.toString().isEmpty() ? "" : MASKED_PASSWORD);
            } else {
                out.set(p.name(), value(p, v));
            }
        }
        return out;
    }

    /** Booleans and counts as JSON scalars, lists as arrays, everything else in its configuration text form. */
    static JsonNode value(Param<?> p, Object v) {
        if (v == null) {
            return MAPPER.nullNode();
        }
        if (v instanceof Boolean b) {
            return MAPPER.getNodeFactory().booleanNode(b);
        }
        if (v instanceof Long || v instanceof Integer) {
            return MAPPER.getNodeFactory().numberNode(((Number) v).longValue());
        }
        if (v instanceof List<?> list && p != null && p.kind() == dev.sluice.api.config.ParamKind.ENUM_LIST) {
            // MaxScale shows an enum mask (router_options=master,slave) as one string, as it is written
            return MAPPER.getNodeFactory().textNode(String.join(",", list.stream().map(String::valueOf).toList()));
        }
        if (v instanceof List<?> list) {
            ArrayNode a = MAPPER.createArrayNode();
            list.forEach(e -> a.add(String.valueOf(e)));
            return a;
        }
        return MAPPER.getNodeFactory().textNode(p == null ? v.toString() : p.format(v));
    }

    /**
     * Plugin diagnostics as a tree. Maps, collections, numbers, booleans and strings map to JSON; records to
     * objects of their components; durations to milliseconds text ({@code "1500ms"}); anything else to its
     * {@code toString()}: a plugin returning something unexpected must not break the resource.
     */
    static JsonNode tree(Object v) {
        if (v == null) {
            return MAPPER.nullNode();
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = MAPPER.createObjectNode();
            map.forEach((k, e) -> o.set(String.valueOf(k), tree(e)));
            return o;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = MAPPER.createArrayNode();
            c.forEach(e -> a.add(tree(e)));
            return a;
        }
        if (v instanceof Boolean || v instanceof Number || v instanceof CharSequence) {
            return MAPPER.valueToTree(v instanceof CharSequence cs ? cs.toString() : v);
        }
        if (v instanceof java.time.Duration d) {
            return MAPPER.getNodeFactory().textNode(d.toMillis() + "ms");
        }
        if (v instanceof Enum<?> e) {
            return MAPPER.getNodeFactory().textNode(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (v.getClass().isRecord()) {
            ObjectNode o = MAPPER.createObjectNode();
            for (java.lang.reflect.RecordComponent rc : v.getClass().getRecordComponents()) {
                try {
                    java.lang.reflect.Method m = rc.getAccessor();
                    m.setAccessible(true);
                    o.set(rc.getName(), tree(m.invoke(v)));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    o.put(rc.getName(), "?");
                }
            }
            return o;
        }
        return MAPPER.getNodeFactory().textNode(v.toString());
    }
}
