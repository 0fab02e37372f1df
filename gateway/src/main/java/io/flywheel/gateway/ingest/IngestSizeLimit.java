package io.flywheel.gateway.ingest;

import io.flywheel.gateway.config.GatewayConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;

/**
 * Ingest bodies are read whole, so their size is checked before the first byte is read: a body
 * over gateway.ingest.max-bytes is a 413, and a body of unknown length a 411. (The gateway's
 * general body limit is large on purpose: artifacts stream through it to the registry.)
 */
@ApplicationScoped
public class IngestSizeLimit {

    private static final Set<String> INGEST = Set.of("/api/v1/predictions", "/api/v1/feedback");

    private final long maxBytes;

    public IngestSizeLimit(GatewayConfig config) {
        this.maxBytes = config.ingest().maxBytes().asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, 900);
    }

    private void handle(RoutingContext rc) {
        if (!"POST".equals(rc.request().method().name()) || !INGEST.contains(rc.normalizedPath())) {
            rc.next();
            return;
        }
        String length = rc.request().getHeader("Content-Length");
        if (length == null) {
            refuse(rc, 411, "Length Required", "length-required", "send ingest batches with a Content-Length header");
            return;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            refuse(rc, 400, "Bad Request", "bad-content-length", "Content-Length is not a number");
            return;
        }
        if (bytes > maxBytes) {
            refuse(rc, 413, "Content Too Large", "batch-too-large",
                    "an ingest body holds at most " + maxBytes + " bytes; this one has " + bytes + ": split the batch");
            return;
        }
        rc.next();
    }

    private static void refuse(RoutingContext rc, int status, String title, String type, String detail) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject().put("type", "urn:flywheel:problem:" + type).put("title", title)
                        .put("status", status).put("detail", detail).put("instance", rc.normalizedPath()).encode());
    }
}
