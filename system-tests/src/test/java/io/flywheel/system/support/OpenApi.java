package io.flywheel.system.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The operations of an OpenAPI 3 document, with their parameters and the schemas of their bodies resolved. */
public final class OpenApi {

    public record Parameter(String name, String in, String type, boolean required) {
    }

    public record Operation(String method, String path, List<Parameter> parameters, List<String> bodyTypes, JsonNode bodySchema) {
        public List<Parameter> in(String where) {
            return parameters.stream().filter(p -> p.in().equals(where)).toList();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final List<String> METHODS = List.of("get", "head", "post", "put", "patch", "delete");

    private final JsonNode document;

    public OpenApi(JsonNode document) {
        this.document = document;
    }

    public static OpenApi parse(String json) {
        try {
            return new OpenApi(new ObjectMapper().readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the OpenAPI document is not JSON", e);
        }
    }

    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op == null) {
                    continue;
                }
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode p : op.path("parameters")) {
                    JsonNode schema = resolve(p.path("schema"));
                    parameters.add(new Parameter(p.path("name").asText(), p.path("in").asText(), schema.path("type").asText("string"),
                            p.path("required").asBoolean(false)));
                }
                List<String> bodyTypes = new ArrayList<>();
                JsonNode bodySchema = null;
                for (Iterator<Map.Entry<String, JsonNode>> content = op.path("requestBody").path("content").fields(); content.hasNext(); ) {
                    Map.Entry<String, JsonNode> type = content.next();
                    bodyTypes.add(type.getKey());
                    if (bodySchema == null) {
                        bodySchema = resolve(type.getValue().path("schema"));
                    }
                }
                operations.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), path.getKey(), parameters, bodyTypes, bodySchema));
            }
        }
        return operations;
    }

    /** A schema with its top-level $ref followed (nested refs are followed as the generator walks). */
    public JsonNode resolve(JsonNode schema) {
        JsonNode current = schema;
        for (int hops = 0; hops < 10 && current != null && current.has("$ref"); hops++) {
            String ref = current.get("$ref").asText();
            current = document.at(ref.substring(1));
        }
        if (current != null && current.has("allOf") && current.get("allOf").size() == 1) {
            return resolve(current.get("allOf").get(0));
        }
        return current == null || current.isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : current;
    }

    public JsonNode schemas() {
        return document.path("components").path("schemas");
    }
}
