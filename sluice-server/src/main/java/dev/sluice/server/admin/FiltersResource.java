package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.SluiceServer;
import dev.sluice.server.config.FilterConfig;
import dev.sluice.server.config.FilterParams;
import dev.sluice.server.config.ServiceConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/filters[/:name]}: the configured filters with their module, parameters (passwords masked),
 * the diagnostics of the current instance (counters) and the services that use them. Read from the
 * configuration the instance runs with.
 */
final class FiltersResource {
    private FiltersResource() {
    }

    static JsonNode get(SluiceServer sluice, String base, String self, String onlyName) {
        if (onlyName != null) {
            FilterConfig f = sluice.config().filters().get(onlyName);
            if (f == null) {
                throw new AdminApi.ApiError(404, "No filter named '" + onlyName + "'");
            }
            return JsonApi.document(self, filter(sluice, base, f));
        }
        ArrayNode all = JsonApi.MAPPER.createArrayNode();
        sluice.config().filters().values().forEach(f -> all.add(filter(sluice, base, f)));
        return JsonApi.document(self, all);
    }

    private static JsonNode filter(SluiceServer sluice, String base, FilterConfig f) {
        ObjectNode a = JsonApi.MAPPER.createObjectNode();
        a.put("module", f.module().name());
        a.set("parameters", JsonApi.parameters(FilterParams.SPEC.plus(f.module().spec()), f.values()));
        dev.sluice.api.filter.Filter instance = sluice.filter(f.name());
        if (instance != null) {
            a.set("filter_diagnostics", JsonApi.tree(instance.diagnostics()));
        }
        List<String> services = new ArrayList<>();
        for (ServiceConfig sc : sluice.config().services().values()) {
            if (sc.filters().contains(f.name())) {
                services.add(sc.name());
            }
        }
        ObjectNode rel = JsonApi.MAPPER.createObjectNode();
        rel.set("services", JsonApi.relationship(base, "services", services));
        return JsonApi.resource(base, "filters", f.name(), a, rel);
    }
}
