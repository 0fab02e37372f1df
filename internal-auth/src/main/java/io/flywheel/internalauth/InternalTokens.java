package io.flywheel.internalauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * Internal tokens for this service's calls and checks. A token is reused for half its life, so a
 * busy caller signs one per principal every half minute, not one per request; the cache is bounded.
 *
 * <p>Settings: {@code flywheel.internal-auth.secret} (at least 32 bytes; every service and the gateway
 * hold the same one, from {@code FLYWHEEL_INTERNAL_SECRET}), {@code flywheel.internal-auth.ttl}
 * (default one minute).
 */
@ApplicationScoped
public class InternalTokens {

    public static final String HEADER = "Authorization";

    private final InternalToken tokens;
    private final Duration ttl;
    private final String self;
    private final Cache<String, String> signed;

    public InternalTokens(@ConfigProperty(name = "flywheel.internal-auth.secret") String secret,
                          @ConfigProperty(name = "flywheel.internal-auth.ttl", defaultValue = "PT1M") Duration ttl,
                          @ConfigProperty(name = "quarkus.application.name") String self) {
        this.tokens = new InternalToken(secret);
        this.ttl = ttl;
        this.self = self;
        this.signed = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl.dividedBy(2)).build();
    }

    /** The Authorization header value for a call made for {@code principal}. */
    public String bearer(String principal) {
        return "Bearer " + signed.get(principal, p -> tokens.sign(p, self, ttl));
    }

    /** The same, for a caller with Flywheel roles (the gateway passes them on; a service may check them). */
    public String bearer(String principal, java.util.Set<String> roles) {
        if (roles == null || roles.isEmpty()) {
            return bearer(principal);
        }
        String sorted = String.join(",", new java.util.TreeSet<>(roles));
        // a newline can't be part of a principal that reached here (a header value), so keys can't collide
        return "Bearer " + signed.get(principal + "\n" + sorted, ignored -> tokens.sign(principal, self, ttl, roles));
    }

    /** The Authorization header value for a call this service makes on its own behalf. */
    public String ownBearer() {
        return bearer(self);
    }

    public Optional<InternalToken.Caller> verify(String token) {
        return tokens.verify(token);
    }

    /** This service's name, as it signs its own calls. */
    public String self() {
        return self;
    }
}
