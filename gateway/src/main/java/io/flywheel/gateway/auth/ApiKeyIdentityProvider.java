package io.flywheel.gateway.auth;

import io.flywheel.gateway.config.GatewayConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a presented key into an identity: the bootstrap admin key from configuration (for the first
 * start, before any key exists), or a stored key that is neither revoked nor expired. Failures say
 * only "invalid or expired": never which part was wrong, never the key.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    public static final String BOOTSTRAP_PRINCIPAL = "bootstrap-admin";

    private final KeyLookup lookup;
    private final Optional<byte[]> bootstrapKey;

    public ApiKeyIdentityProvider(KeyLookup lookup, GatewayConfig config) {
        this.lookup = lookup;
        this.bootstrapKey = config.auth().bootstrapKey().filter(k -> !k.isBlank())
                .map(k -> k.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        if (bootstrapKey.isPresent()
                && MessageDigest.isEqual(bootstrapKey.get(), request.key().getBytes(StandardCharsets.UTF_8))) {
            return Uni.createFrom().item(identity(BOOTSTRAP_PRINCIPAL, Set.of(Role.ADMIN)));
        }
        var parsed = KeyFormat.parse(request.key());
        if (parsed.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("invalid or expired API key"));
        }
        return lookup.find(parsed.get().id()).map(stored -> stored
                .filter(key -> key.usableAt(Instant.now()) && KeyFormat.matches(parsed.get().secret(), key.secretHash()))
                .map(key -> identity(key.name(), key.roles()))
                .orElseThrow(() -> new AuthenticationFailedException("invalid or expired API key")));
    }

    private static SecurityIdentity identity(String name, Set<Role> roles) {
        var builder = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name));
        roles.forEach(role -> builder.addRole(role.id()));
        return builder.build();
    }
}
