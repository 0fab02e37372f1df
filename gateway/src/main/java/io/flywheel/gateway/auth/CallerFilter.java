package io.flywheel.gateway.auth;

import io.flywheel.gateway.ratelimit.RateLimits;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.OptionalLong;

/**
 * Runs after authentication and authorization (their filters have priorities 200 and 100). Tells
 * the services who is calling in {@code X-Flywheel-Principal} (a caller can't set it itself), and
 * applies the caller's rate limit: 429 with Retry-After when its bucket is empty.
 */
@ApplicationScoped
public class CallerFilter {

    public static final String PRINCIPAL_HEADER = "X-Flywheel-Principal";

    private final RateLimits limits;

    public CallerFilter(RateLimits limits) {
        this.limits = limits;
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, 50);
    }

    private void handle(RoutingContext rc) {
        rc.request().headers().remove(PRINCIPAL_HEADER);
        SecurityIdentity identity = rc.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (identity == null || identity.isAnonymous()) {
            rc.next();
            return;
        }
        String caller = identity.getPrincipal().getName();
        OptionalLong retryAfter = limits.tryAcquire(caller);
        if (retryAfter.isPresent()) {
            rc.response().setStatusCode(429)
                    .putHeader("Retry-After", Long.toString(retryAfter.getAsLong()))
                    .putHeader("Content-Type", "application/problem+json")
                    .end(new JsonObject()
                            .put("type", "urn:flywheel:problem:rate-limited")
                            .put("title", "Too Many Requests")
                            .put("status", 429)
                            .put("detail", "the rate limit of '" + caller + "' is spent; retry after "
                                    + retryAfter.getAsLong() + " s")
                            .put("instance", rc.normalizedPath())
                            .encode());
            return;
        }
        rc.request().headers().set(PRINCIPAL_HEADER, caller);
        rc.next();
    }
}
