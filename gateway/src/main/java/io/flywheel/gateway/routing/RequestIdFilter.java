package io.flywheel.gateway.routing;

import io.flywheel.problem.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Runs before authentication and every route. Gives each request an {@code X-Request-Id} (the
 * caller's, if it is a sane one) that the services receive and the caller gets back, and refuses a
 * path that could be read in more than one way ({@link CanonicalPath}) before anything decides on it.
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
        var refusal = CanonicalPath.refusal(rc.request().path());
        if (refusal.isPresent()) {
            Problem.of(400, "bad-path", refusal.get() + ": send the route as the OpenAPI document (/openapi) writes it").send(rc);
            return;
        }
        rc.next();
    }
}
