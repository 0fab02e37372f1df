package io.flywheel.registry.rest;

import io.flywheel.registry.config.RegistryConfig;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.regex.Pattern;

/**
 * Body size limits per route. Quarkus has one global limit; it is set high (application.properties)
 * so artifacts and datasets can stream in, and this filter brings every other body (JSON) back
 * down to {@code registry.http.max-json-bytes}: a request announcing more is refused before a byte
 * is read, a chunked one is cut off by Quarkus's request stream once it passes the limit.
 */
@ApplicationScoped
public class BodyLimits {

    private static final Pattern STREAMED = Pattern.compile(
            "/api/v1/models/[^/]+/versions/[^/]+/artifact|/api/v1/datasets/[^/]+/versions");

    void install(@Observes Router router, RegistryConfig config) {
        long jsonLimit = config.http().maxJsonBytes();
        long uploadLimit = config.uploads().maxBytes();
        // after Quarkus's own global check (order -2), before any resource
        router.route().order(-1).handler(context -> limit(context, jsonLimit, uploadLimit));
    }

    private static void limit(RoutingContext context, long jsonLimit, long uploadLimit) {
        HttpMethod method = context.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            context.next();
            return;
        }
        boolean streamed = method == HttpMethod.PUT && STREAMED.matcher(context.normalizedPath()).matches();
        long limit = streamed ? uploadLimit : jsonLimit;
        String length = context.request().getHeader("Content-Length");
        if (length != null) {
            long announced;
            try {
                announced = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                announced = Long.MAX_VALUE;
            }
            if (announced > limit) {
                context.response().setStatusCode(413)
                        .putHeader("Content-Type", "application/problem+json")
                        .putHeader("Connection", "close")
                        .end("{\"type\":\"urn:flywheel:problem:too-large\",\"title\":\"Content Too Large\",\"status\":413,"
                                + "\"detail\":\"the body is larger than the limit of " + limit + " bytes for this request\","
                                + "\"instance\":\"" + context.normalizedPath().replace("\"", "") + "\"}");
                return;
            }
        } else {
            context.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, limit);
        }
        context.next();
    }
}
