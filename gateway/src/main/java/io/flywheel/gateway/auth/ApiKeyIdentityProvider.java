package io.flywheel.gateway.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Set;

/**
 * Turns a presented key into an identity: a stored key that is neither revoked nor expired (the
 * bootstrap admin key too, once {@link BootstrapKey} stored it). Failures say only "invalid or
 * expired": never which part was wrong, never the key.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    public static final String KEY_ID_ATTRIBUTE = "flywheel.key-id";

    private final KeyLookup lookup;

    public ApiKeyIdentityProvider(KeyLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        var parsed = KeyFormat.parse(request.key());
        if (parsed.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("invalid or expired API key"));
        }
        return lookup.find(parsed.get().id()).map(stored -> stored
                .filter(key -> key.usableAt(Instant.now()) && KeyFormat.matches(parsed.get().secret(), key.secretHash()))
                .map(ApiKeyIdentityProvider::identity)
                .orElseThrow(() -> new AuthenticationFailedException("invalid or expired API key")));
    }

    static SecurityIdentity identity(StoredKey key) {
        var builder = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(key.name()))
                .addAttribute(KEY_ID_ATTRIBUTE, key.id());
        key.roles().forEach(role -> builder.addRole(role.id()));
        return builder.build();
    }

    static Set<String> roleIds(StoredKey key) {
        return key.roles().stream().map(Role::id).collect(java.util.stream.Collectors.toSet());
    }
}
