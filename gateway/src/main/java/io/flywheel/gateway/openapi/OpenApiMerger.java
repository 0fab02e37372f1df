package io.flywheel.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Folds the services' OpenAPI documents into the gateway's own, so the whole surface is one
 * document. Each service contributes only the paths under its prefixes. Schemas with the same name
 * and the same content are kept once; a different schema under a taken name is renamed
 * {@code <service>.<Name>} and every reference to it in that service's paths follows.
 */
public final class OpenApiMerger {

    private static final String SCHEMA_REF = "#/components/schemas/";

    private OpenApiMerger() {
    }

    public record ServiceDocument(String service, List<String> prefixes, JsonNode document) {
    }

    public static ObjectNode merge(JsonNode gateway, List<ServiceDocument> services, List<String> unavailable) {
        ObjectNode merged = gateway.deepCopy();
        ObjectNode paths = objectAt(merged, "paths");
        ObjectNode schemas = objectAt(objectAt(merged, "components"), "schemas");
        for (ServiceDocument service : services) {
            JsonNode own = service.document().deepCopy();
            JsonNode theirSchemas = own.path("components").path("schemas");
            Map<String, String> renames = new java.util.HashMap<>();
            theirSchemas.fieldNames().forEachRemaining(name -> {
                JsonNode existing = schemas.get(name);
                if (existing != null && !existing.equals(theirSchemas.get(name))) {
                    renames.put(name, service.service() + "." + name);
                }
            });
            rewriteRefs(own, renames);
            JsonNode rewrittenSchemas = own.path("components").path("schemas");
            rewrittenSchemas.fieldNames().forEachRemaining(name ->
                    schemas.set(renames.getOrDefault(name, name), rewrittenSchemas.get(name)));
            own.path("paths").fieldNames().forEachRemaining(path -> {
                if (service.prefixes().stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
                    JsonNode operations = own.path("paths").get(path);
                    operations.forEach(op -> {
                        if (op instanceof ObjectNode o && !o.has("tags")) {
                            o.set("tags", JsonNodeFactory.instance.arrayNode().add(service.service()));
                        }
                    });
                    paths.set(path, operations);
                }
            });
        }
        if (!unavailable.isEmpty()) {
            ArrayNode missing = merged.putArray("x-unavailable-services");
            unavailable.forEach(missing::add);
        }
        return merged;
    }

    /** Points every {@code $ref} to a renamed schema at its new name. */
    static void rewriteRefs(JsonNode node, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return;
        }
        if (node instanceof ObjectNode object) {
            List<String> fields = new ArrayList<>();
            object.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                JsonNode value = object.get(field);
                if ("$ref".equals(field) && value.isTextual() && value.asText().startsWith(SCHEMA_REF)) {
                    String name = value.asText().substring(SCHEMA_REF.length());
                    if (renames.containsKey(name)) {
                        object.set(field, TextNode.valueOf(SCHEMA_REF + renames.get(name)));
                    }
                } else {
                    rewriteRefs(value, renames);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
                rewriteRefs(it.next(), renames);
            }
        }
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(field);
    }
}
