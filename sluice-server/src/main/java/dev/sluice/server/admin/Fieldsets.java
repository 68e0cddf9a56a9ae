package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON:API sparse fieldsets: {@code ?fields[servers]=state,parameters/port} keeps, in every resource of type
 * {@code servers}, only the named attributes and relationships. A name with slashes keeps one nested value
 * ({@code parameters/port} keeps {@code attributes.parameters.port} and nothing else of {@code parameters}).
 * Resources of other types are left alone; {@code id}, {@code type} and {@code links} always stay.
 */
final class Fieldsets {
    private Fieldsets() {
    }

    /** The {@code fields[TYPE]} query parameters as type to field paths; empty when there are none. */
    static Map<String, List<String>> parse(Map<String, String> query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (k.startsWith("fields[") && k.endsWith("]") && k.length() > 8) {
                out.put(k.substring(7, k.length() - 1), List.of(v.split(",")));
            }
        });
        return out;
    }

    /** Applies the fieldsets to {@code doc} in place. */
    static void apply(JsonNode doc, Map<String, List<String>> fields) {
        JsonNode data = doc.path("data");
        if (data.isArray()) {
            data.forEach(r -> sparse(r, fields));
        } else if (data.isObject()) {
            sparse(data, fields);
        }
    }

    private static void sparse(JsonNode resource, Map<String, List<String>> fields) {
        List<String> keep = fields.get(resource.path("type").asText());
        if (keep == null || !(resource instanceof ObjectNode r)) {
            return;
        }
        JsonNode attributes = r.path("attributes");
        JsonNode relationships = r.path("relationships");
        ObjectNode newAttributes = JsonApi.MAPPER.createObjectNode();
        ObjectNode newRelationships = JsonApi.MAPPER.createObjectNode();
        for (String field : keep) {
            String[] path = field.strip().split("/");
            if (path.length == 1 && relationships.has(path[0])) {
                newRelationships.set(path[0], relationships.get(path[0]));
            }
            copy(attributes, newAttributes, path, 0);
        }
        r.set("attributes", newAttributes);
        if (r.has("relationships")) {
            r.set("relationships", newRelationships);
        }
    }

    private static void copy(JsonNode from, ObjectNode to, String[] path, int i) {
        JsonNode child = from.get(path[i]);
        if (child == null) {
            return;
        }
        if (i == path.length - 1) {
            to.set(path[i], child.deepCopy());
        } else if (child.isObject()) {
            JsonNode existing = to.get(path[i]);
            ObjectNode next = existing instanceof ObjectNode o ? o : to.putObject(path[i]);
            copy(child, next, path, i + 1);
        }
    }
}
