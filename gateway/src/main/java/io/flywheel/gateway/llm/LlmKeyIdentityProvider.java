package io.flywheel.gateway.llm;

import io.flywheel.gateway.auth.RoleAccessCheck;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A key pair that exists, is not revoked and whose secret matches becomes the identity
 * {@code llm-project:<projectId>}: no Flywheel role, and the project's id as an attribute, which is
 * what {@link RoleAccessCheck} judges it by. A failure never says which half was wrong.
 */
@ApplicationScoped
public class LlmKeyIdentityProvider implements IdentityProvider<LlmKeyRequest> {

    private final LlmKeyLookup lookup;

    public LlmKeyIdentityProvider(LlmKeyLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public Class<LlmKeyRequest> getRequestType() {
        return LlmKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(LlmKeyRequest request, AuthenticationRequestContext context) {
        LlmKeys.Presented presented = request.pair();
        return lookup.find(presented.publicKey()).map(stored -> stored
                .filter(pair -> pair.revokedAt() == null && LlmKeys.matches(presented.secretKey(), pair.secretHash()))
                .map(pair -> identity(pair.projectId()))
                .orElseThrow(() -> new AuthenticationFailedException("invalid or revoked key pair")));
    }

    static SecurityIdentity identity(String projectId) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(RoleAccessCheck.LLM_PROJECT_PRINCIPAL_PREFIX + projectId))
                .addAttribute(RoleAccessCheck.LLM_PROJECT_ATTRIBUTE, projectId)
                .build();
    }

    /** The project of a verified key pair, or null for any other caller. */
    public static String projectOf(SecurityIdentity identity) {
        return identity == null ? null : identity.getAttribute(RoleAccessCheck.LLM_PROJECT_ATTRIBUTE);
    }
}
