package io.flywheel.internalauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The token a call inside Flywheel carries: a JWS (HS256) over {@code iss=flywheel},
 * {@code aud=flywheel-services}, {@code sub} = who the request is for (the gateway's caller, or a
 * service acting on its own), {@code azp} = who signed it, and an expiry a minute ahead. Every service
 * holds the same secret; a client never does, so a request that skipped the gateway has no valid token.
 * Plain Java (jose4j), no framework types.
 *
 * <p>A token once verified is remembered until it expires: callers reuse a token for half its life, so
 * nearly every request carries one already seen, and checking it again (HMAC, JSON, claims) was a tenth
 * of a serving request's CPU. Only tokens that passed verification enter the cache, keyed by their exact
 * text, so nothing can be added to it without the secret; a remembered token still expires on time.
 */
public final class InternalToken {

    public static final String ISSUER = "flywheel";
    public static final String AUDIENCE = "flywheel-services";
    static final int MIN_SECRET_BYTES = 32;
    private static final int CLOCK_SKEW_SECONDS = 5;
    private static final int MAX_VALIDITY_MINUTES = 10;

    /**
     * Who a verified token is for, which service signed it, and the caller's Flywheel roles as the
     * gateway found them (claim {@code roles}; empty for a service's own calls and LLM key pairs).
     */
    public record Caller(String principal, String signedBy, Set<String> roles) {
        public Caller {
            roles = roles == null ? Set.of() : Set.copyOf(roles);
        }

        public Caller(String principal, String signedBy) {
            this(principal, signedBy, Set.of());
        }
    }

    private record Verified(Caller caller, long validUntilMillis) {
    }

    private final HmacKey key;
    private final JwtConsumer consumer;
    private final LongSupplier clock;
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(MAX_VALIDITY_MINUTES + 1))
            .build();

    public InternalToken(String secret) {
        this(secret, System::currentTimeMillis);
    }

    /** With the clock the remembered tokens' expiry is checked against (tests move it). */
    InternalToken(String secret, LongSupplier clock) {
        this.clock = clock;
        byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the internal secret (flywheel.internal-auth.secret, env FLYWHEEL_INTERNAL_SECRET) "
                    + "must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.key = new HmacKey(bytes);
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setMaxFutureValidityInMinutes(MAX_VALIDITY_MINUTES)
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setExpectedIssuer(ISSUER)
                .setExpectedAudience(AUDIENCE)
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .build();
    }

    public String sign(String principal, String signedBy, Duration ttl) {
        return sign(principal, signedBy, ttl, Set.of());
    }

    /** A token that also carries the caller's roles (the gateway's, for a service that checks one, e.g. admin). */
    public String sign(String principal, String signedBy, Duration ttl, Set<String> roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setSubject(principal);
        claims.setClaim("azp", signedBy);
        if (roles != null && !roles.isEmpty()) {
            claims.setStringListClaim("roles", new TreeSet<>(roles).stream().toList());
        }
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(ttl.toSeconds() / 60f);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("could not sign an internal token", e);
        }
    }

    /** The caller, when the token is ours, unexpired and meant for the services; empty otherwise. */
    public Optional<Caller> verify(String token) {
        if (token == null || token.isBlank() || token.length() > 4096) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        Verified seen = verified.getIfPresent(token);
        if (seen != null) {
            if (now < seen.validUntilMillis()) {
                return Optional.of(seen.caller());
            }
            verified.invalidate(token);
            return Optional.empty();
        }
        try {
            JwtClaims claims = consumer.processToClaims(token);
            // expiry as the consumer judges it: exp plus the allowed skew
            long validUntil = claims.getExpirationTime().getValueInMillis() + CLOCK_SKEW_SECONDS * 1000L;
            if (now >= validUntil) {
                return Optional.empty();
            }
            List<String> roles = claims.hasClaim("roles") ? claims.getStringListClaimValue("roles") : List.of();
            Caller caller = new Caller(claims.getSubject(), claims.getClaimValueAsString("azp"), Set.copyOf(roles));
            verified.put(token, new Verified(caller, validUntil));
            return Optional.of(caller);
        } catch (InvalidJwtException | MalformedClaimException e) {
            return Optional.empty();
        }
    }
}
