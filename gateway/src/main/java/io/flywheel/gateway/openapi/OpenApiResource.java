package io.flywheel.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flywheel.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.quarkus.smallrye.openapi.runtime.OpenApiConstants;
import io.smallrye.openapi.runtime.io.Format;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One OpenAPI document for the whole surface, at {@code /openapi} (Swagger UI: {@code /q/swagger-ui}).
 * Built from the gateway's own document and each service's, and kept for a few seconds: it is open to
 * anyone, so a flood of requests costs one merge per interval, not four fetches each. A service that
 * doesn't answer is listed under {@code x-unavailable-services} rather than failing the whole document.
 */
@Path("/openapi")
public class OpenApiResource {

    private final GatewayConfig config;
    private final WebClient client;
    private final ObjectMapper json;
    private final OpenApiDocumentService ownDocument;
    private final Uni<ObjectNode> merged;

    public OpenApiResource(GatewayConfig config, Vertx vertx, ObjectMapper json, OpenApiDocumentService ownDocument) {
        this.config = config;
        this.client = WebClient.create(vertx);
        this.json = json;
        this.ownDocument = ownDocument;
        this.merged = Uni.createFrom().deferred(this::merge).memoize().atLeast(Duration.ofSeconds(10));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ObjectNode> document() {
        return merged;
    }

    private Uni<ObjectNode> merge() {
        List<Uni<Optional<OpenApiMerger.ServiceDocument>>> fetches = new ArrayList<>();
        config.services().forEach((name, service) -> fetches.add(fetch(service.url().resolve("/q/openapi?format=json").toString())
                .map(doc -> doc.map(d -> new OpenApiMerger.ServiceDocument(name, service.prefixes(), d)))));
        Uni<List<Optional<OpenApiMerger.ServiceDocument>>> all = fetches.isEmpty()
                ? Uni.createFrom().item(List.of()) : Uni.join().all(fetches).andFailFast();
        return Uni.combine().all().unis(own(), all).asTuple().map(t -> {
            List<String> names = new ArrayList<>(config.services().keySet());
            List<OpenApiMerger.ServiceDocument> docs = new ArrayList<>();
            List<String> unavailable = new ArrayList<>();
            for (int i = 0; i < t.getItem2().size(); i++) {
                t.getItem2().get(i).ifPresentOrElse(docs::add, () -> {
                });
            }
            names.stream().filter(n -> docs.stream().noneMatch(d -> d.service().equals(n))).forEach(unavailable::add);
            JsonNode own = t.getItem1().orElseGet(json::createObjectNode);
            ObjectNode merged = OpenApiMerger.merge(own, docs, unavailable);
            ObjectNode info = merged.putObject("info");
            info.put("title", "Flywheel API");
            info.put("description", "The whole public surface of Flywheel, served by the gateway. "
                    + "Authenticate with an API key in the X-API-Key header, or a bearer token.");
            info.put("version", "v1");
            ObjectNode schemes = merged.withObject("/components").withObject("/securitySchemes");
            schemes.putObject("apiKey").put("type", "apiKey").put("in", "header").put("name", "X-API-Key");
            schemes.putObject("bearer").put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT");
            merged.putArray("security").addObject().putArray("apiKey");
            merged.withArray("/security").addObject().putArray("bearer");
            return merged;
        });
    }

    /** The gateway's own document (keys, ingest, system), straight from SmallRye OpenAPI. */
    private Uni<Optional<JsonNode>> own() {
        return Uni.createFrom().item(() -> {
            try {
                return Optional.of(json.readTree(ownDocument.getDocument(OpenApiConstants.DEFAULT_DOCUMENT_NAME, Format.JSON)));
            } catch (java.io.IOException e) {
                return Optional.<JsonNode>empty();
            }
        });
    }

    private Uni<Optional<JsonNode>> fetch(String url) {
        return client.getAbs(url).timeout(config.readinessTimeout().toMillis()).send()
                .map(response -> {
                    if (response.statusCode() != 200) {
                        return Optional.<JsonNode>empty();
                    }
                    try {
                        return Optional.of(json.readTree(response.bodyAsString()));
                    } catch (Exception e) {
                        return Optional.<JsonNode>empty();
                    }
                })
                .onFailure().recoverWithItem(Optional.empty());
    }
}
