package io.flywheel.gateway.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumSet;
import java.util.Set;

/**
 * Applies {@link AccessPolicy} to a request: anonymous is denied (401), a role that doesn't fit is 403.
 * An LLM project's key pair is judged by {@link AccessPolicy#allowsLlmProject} alone; a principal that
 * merely calls itself {@code llm-project:...} (a bearer token's upn) is refused everything, so only
 * a verified key pair ever reaches a service as a project.
 */
@ApplicationScoped
public class RoleAccessCheck implements HttpSecurityPolicy {

    /** The identity attribute holding an LLM project's id; only a verified key pair sets it. */
    public static final String LLM_PROJECT_ATTRIBUTE = "flywheel.llm-project";
    /** Principal of an LLM project's calls ({@code llm-project:<projectId>}), the internal token's sub. */
    public static final String LLM_PROJECT_PRINCIPAL_PREFIX = "llm-project:";

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                                            AuthorizationRequestContext context) {
        return identity.map(id -> {
            if (id.isAnonymous()) {
                return CheckResult.DENY;
            }
            String method = request.request().method().name();
            String path = request.normalizedPath();
            boolean allowed;
            if (id.getAttribute(LLM_PROJECT_ATTRIBUTE) != null) {
                allowed = AccessPolicy.allowsLlmProject(method, path);
            } else if (id.getPrincipal().getName().startsWith(LLM_PROJECT_PRINCIPAL_PREFIX)) {
                allowed = false;
            } else {
                allowed = AccessPolicy.allows(method, path, roles(id));
            }
            return allowed ? CheckResult.PERMIT : CheckResult.DENY;
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
