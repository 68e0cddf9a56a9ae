package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The JSON:API documents the write verbs send (create, alter, link): MaxScale's shapes, built in one place. */
final class Documents {
    private Documents() {
    }

    /** {@code {"data": {"id", "type", "attributes": {"parameters": {}}}}}; returns the data object. */
    static ObjectNode resource(ObjectNode document, String type, String id) {
        ObjectNode data = document.putObject("data");
        if (id != null) {
            data.put("id", id);
        }
        data.put("type", type);
        data.putObject("attributes").putObject("parameters");
        return data;
    }

    static ObjectNode parameters(ObjectNode data) {
        return (ObjectNode) data.get("attributes").get("parameters");
    }

    /**
     * Adds {@code key=value} pairs (maxctrl's trailing parameters) to the parameters object.
     *
     * @throws AdminClient.ApiException for a pair without '=' (before anything is sent)
     */
    static void putPairs(ObjectNode parameters, List<String> pairs) throws AdminClient.ApiException {
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new AdminClient.ApiException("'" + pair + "' is not key=value");
            }
            parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
    }

    /** Sets {@code relationships.TYPE.data} to the ids, each of {@code type}; nothing when there are none. */
    static void relationship(ObjectNode data, String type, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        ObjectNode rels = data.has("relationships") ? (ObjectNode) data.get("relationships")
                : data.putObject("relationships");
        rels.set(type, links(type, ids));
    }

    /** {@code {"data": [{"id", "type"}, …]}}. */
    static ObjectNode links(String type, List<String> ids) {
        ObjectNode rel = AdminClient.MAPPER.createObjectNode();
        ArrayNode arr = rel.putArray("data");
        for (String id : ids) {
            arr.addObject().put("id", id).put("type", type);
        }
        return rel;
    }

    /** The ids of one relationship of a resource as GET returns it. */
    static List<String> ids(JsonNode resource, String relationship) {
        List<String> out = new java.util.ArrayList<>();
        resource.at("/data/relationships/" + relationship + "/data").forEach(d -> out.add(d.get("id").asText()));
        return out;
    }
}
