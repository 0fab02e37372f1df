package io.flywheel.gateway.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumSet;
import java.util.Set;

/** Applies {@link AccessPolicy} to a request: anonymous is denied (401), a role that doesn't fit is 403. */
@ApplicationScoped
public class RoleAccessCheck implements HttpSecurityPolicy {

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext context) {
        return identity.map(id -> {
            if (id.isAnonymous()) {
                return CheckResult.DENY;
            }
            return AccessPolicy.allows(request.request().method().name(), request.normalizedPath(), roles(id))
                    ? CheckResult.PERMIT : CheckResult.DENY;
        });
    }

    @Override
    public String name() {
        return "flywheel-roles";
    }

    /** Roles of an identity that Flywheel knows (a token may carry others). */
    static Set<Role> roles(SecurityIdentity identity) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Role role : Role.values()) {
            if (identity.hasRole(role.id())) {
                roles.add(role);
            }
        }
        return roles;
    }
}
