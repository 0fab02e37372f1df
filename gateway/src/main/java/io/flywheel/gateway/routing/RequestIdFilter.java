package io.flywheel.gateway.routing;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Runs before every route. Gives each request an {@code X-Request-Id} (the caller's, if it is a sane
 * one) that the services receive and the caller gets back, and refuses paths that try to climb out
 * of a route ({@code ..}, encoded dots or slashes) before any route sees them.
 */
@ApplicationScoped
public class RequestIdFilter {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void register(@Observes Filters filters) {
        filters.register(this::handle, 1000);
    }

    private void handle(RoutingContext rc) {
        String given = rc.request().getHeader(HEADER);
        String id = given != null && SANE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        rc.request().headers().set(HEADER, id);
        rc.response().putHeader(HEADER, id);
        if (isPathTrick(rc.request().path())) {
            rc.response().setStatusCode(400).putHeader("Content-Type", "application/problem+json")
                    .end(new JsonObject()
                            .put("type", "urn:flywheel:problem:bad-path")
                            .put("title", "Bad Request")
                            .put("status", 400)
                            .put("detail", "the path may not contain '..' or encoded '.' or '/' segments")
                            .encode());
            return;
        }
        rc.next();
    }

    static boolean isPathTrick(String rawPath) {
        if (rawPath == null) {
            return false;
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        return lower.contains("/../") || lower.endsWith("/..") || lower.contains("%2e") || lower.contains("%2f")
                || lower.contains("%5c") || lower.contains("\\");
    }
}
