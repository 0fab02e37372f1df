package io.flywheel.gateway.system;

import io.flywheel.gateway.config.GatewayConfig;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Readiness of the whole suite at one URL: the gateway's own checks and each service's. */
@Path("/api/v1/system")
@Produces(MediaType.APPLICATION_JSON)
public class SystemResource {

    private final GatewayConfig config;
    private final WebClient client;
    private final SmallRyeHealthReporter health;

    public SystemResource(GatewayConfig config, Vertx vertx, SmallRyeHealthReporter health) {
        this.config = config;
        this.client = WebClient.create(vertx);
        this.health = health;
    }

    /** 200 when every service is ready, 503 otherwise; the body says which are not and why. */
    @GET
    @Path("ready")
    public Uni<RestResponse<Map<String, Object>>> ready() {
        List<Uni<Map.Entry<String, Object>>> probes = new ArrayList<>();
        probes.add(health.getReadinessAsync().map(h -> Map.entry("gateway", (Object) new JsonObject(h.getPayload().toString()).getMap())));
        config.services().forEach((name, service) -> probes.add(probe(name, service.url())));
        return Uni.join().all(probes).andFailFast().map(entries -> {
            Map<String, Object> services = new TreeMap<>();
            entries.forEach(e -> services.put(e.getKey(), e.getValue()));
            boolean allUp = services.values().stream().allMatch(s -> "UP".equals(((Map<?, ?>) s).get("status")));
            Map<String, Object> body = Map.of("status", allUp ? "UP" : "DOWN", "services", services);
            return allUp ? RestResponse.ok(body) : RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE, body);
        });
    }

    private Uni<Map.Entry<String, Object>> probe(String name, URI url) {
        return client.getAbs(url.resolve("/q/health/ready").toString())
                .timeout(config.readinessTimeout().toMillis())
                .send()
                .map(response -> {
                    JsonObject json = parse(response.bodyAsString());
                    if (json == null) {
                        json = new JsonObject().put("status", "DOWN").put("error", "HTTP " + response.statusCode());
                    }
                    return Map.entry(name, (Object) json.put("url", url.toString()).getMap());
                })
                .onFailure().recoverWithItem(e -> Map.entry(name, (Object) Map.of(
                        "status", "DOWN", "url", url.toString(), "error", "unreachable: " + e.getMessage())));
    }

    private static JsonObject parse(String body) {
        try {
            return body == null ? null : new JsonObject(body);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
