package io.flywheel.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiMergerTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode read(String s) throws Exception {
        return json.readTree(s.replace('\'', '"'));
    }

    @Test
    void keepsEachServicesPathsAndRenamesOnlyConflictingSchemas() throws Exception {
        JsonNode gateway = read("{'openapi':'3.1.0','paths':{'/api/v1/keys':{'get':{}}},"
                + "'components':{'schemas':{'Page':{'type':'object','properties':{'a':{}}}}}}");
        JsonNode registry = read("{'paths':{'/api/v1/models':{'get':{'responses':{'200':{'content':{'application/json':"
                + "{'schema':{'$ref':'#/components/schemas/Page'}}}}}}},'/q/other':{'get':{}}},"
                + "'components':{'schemas':{'Page':{'type':'object','properties':{'b':{}}},'Same':{'type':'string'}}}}");
        JsonNode deploy = read("{'paths':{'/api/v1/deployments/{model}':{'get':{}}},"
                + "'components':{'schemas':{'Same':{'type':'string'}}}}");

        JsonNode merged = OpenApiMerger.merge(gateway, List.of(
                new OpenApiMerger.ServiceDocument("registry-service", List.of("/api/v1/models"), registry),
                new OpenApiMerger.ServiceDocument("deploy-service", List.of("/api/v1/deployments"), deploy)), List.of("monitor-service"));

        assertThat(merged.get("paths").has("/api/v1/keys")).isTrue();
        assertThat(merged.get("paths").has("/api/v1/models")).isTrue();
        assertThat(merged.get("paths").has("/api/v1/deployments/{model}")).isTrue();
        assertThat(merged.get("paths").has("/q/other")).as("paths outside a service's prefixes stay out").isFalse();
        JsonNode schemas = merged.get("components").get("schemas");
        assertThat(schemas.get("Page").get("properties").has("a")).isTrue();
        assertThat(schemas.get("registry-service.Page").get("properties").has("b")).isTrue();
        assertThat(schemas.has("deploy-service.Same")).as("identical schemas are kept once").isFalse();
        assertThat(merged.at("/paths/~1api~1v1~1models/get/responses/200/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/registry-service.Page");
        assertThat(merged.at("/paths/~1api~1v1~1models/get/tags/0").asText()).isEqualTo("registry-service");
        assertThat(merged.get("x-unavailable-services").get(0).asText()).isEqualTo("monitor-service");
    }
}
