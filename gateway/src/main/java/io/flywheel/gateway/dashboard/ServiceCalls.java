package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.gateway.config.GatewayConfig;
import io.flywheel.internalauth.InternalTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Optional;

/** The dashboard's reads from the services, on behalf of the signed-in caller. */
@ApplicationScoped
public class ServiceCalls {

    /** A service's answer, or why there is none; the dashboard shows either. */
    public record Answer(int status, JsonNode body, String error) {
        public boolean ok() {
            return status >= 200 && status < 300 && body != null;
        }

        /** What went wrong, for a page: null when nothing did; the service's own words when it refused (a bad filter, not found). */
        public String problem(String service) {
            if (ok()) {
                return null;
            }
            if (error != null) {
                return error;
            }
            String detail = body == null ? "" : body.path("detail").asText("");
            return service + " answered " + status + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    private final GatewayConfig config;
    private final WebClient client;
    private final ObjectMapper json;
    private final InternalTokens tokens;

    public ServiceCalls(GatewayConfig config, Vertx vertx, ObjectMapper json, InternalTokens tokens) {
        this.tokens = tokens;
        this.config = config;
        this.client = WebClient.create(vertx);
        this.json = json;
    }

    public Uni<Answer> get(String service, String pathAndQuery, String principal) {
        Optional<URI> base = Optional.ofNullable(config.services().get(service)).map(GatewayConfig.Service::url);
        if (base.isEmpty()) {
            return Uni.createFrom().item(new Answer(0, null, service + " is not configured"));
        }
        return client.getAbs(base.get().resolve(pathAndQuery).toString())
                .putHeader(InternalTokens.HEADER, tokens.bearer(principal))
                .timeout(config.readinessTimeout().toMillis() * 2)
                .send()
                .map(response -> {
                    try {
                        return new Answer(response.statusCode(), json.readTree(response.bodyAsString()), null);
                    } catch (Exception e) {
                        return new Answer(response.statusCode(), null, "unreadable answer");
                    }
                })
                .onFailure().recoverWithItem(e -> new Answer(0, null, service + " is unavailable"));
    }
}
