package io.flywheel.gateway.auth;

import io.flywheel.gateway.ratelimit.RateLimits;
import io.flywheel.internalauth.InternalTokens;
import io.flywheel.problem.Problem;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.OptionalLong;

/**
 * Runs after authentication and authorization (their filters have priorities 200 and 100). Applies
 * the caller's rate limit (429 with Retry-After when its bucket is empty), then replaces the caller's
 * credentials with what the services take: an internal token for the caller and its roles, signed here (the services
 * accept no other, so nobody reaches them without passing this gateway, and nobody can claim to be
 * someone else). A request without an identity leaves with no Authorization at all.
 */
@ApplicationScoped
public class CallerFilter {

    private final RateLimits limits;
    private final InternalTokens tokens;

    public CallerFilter(RateLimits limits, InternalTokens tokens) {
        this.limits = limits;
        this.tokens = tokens;
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, 50);
    }

    private void handle(RoutingContext rc) {
        var headers = rc.request().headers();
        headers.remove(InternalTokens.HEADER);
        headers.remove(ApiKeyMechanism.HEADER);
        SecurityIdentity identity = rc.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (identity == null || identity.isAnonymous()) {
            rc.next();
            return;
        }
        String caller = identity.getPrincipal().getName();
        OptionalLong retryAfter = limits.tryAcquire(caller);
        if (retryAfter.isPresent()) {
            Problem.of(429, "rate-limited", "the rate limit of '" + caller + "' is spent; retry after "
                    + retryAfter.getAsLong() + " s").retryAfter((int) retryAfter.getAsLong()).send(rc);
            return;
        }
        // the caller's Flywheel roles ride along, so a service can hold a few acts to admins (the registry's protected prompt labels)
        java.util.Set<String> roles = new java.util.TreeSet<>();
        RoleAccessCheck.roles(identity).forEach(role -> roles.add(role.id()));
        headers.set(InternalTokens.HEADER, tokens.bearer(caller, roles));
        rc.next();
    }
}
