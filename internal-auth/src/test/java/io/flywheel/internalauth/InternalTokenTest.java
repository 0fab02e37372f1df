package io.flywheel.internalauth;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InternalTokenTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    private final InternalToken tokens = new InternalToken(SECRET);

    @Test
    void aTokenWeSignedNamesItsCallerAndSigner() {
        String token = tokens.sign("alice", "gateway", Duration.ofMinutes(1));
        assertThat(tokens.verify(token)).hasValue(new InternalToken.Caller("alice", "gateway"));
    }

    @Test
    void rolesTravelSignedAndATokenWithoutThemHasNone() {
        String token = tokens.sign("alice", "gateway", Duration.ofMinutes(1), java.util.Set.of("admin", "editor"));
        assertThat(tokens.verify(token)).hasValue(new InternalToken.Caller("alice", "gateway", java.util.Set.of("admin", "editor")));
        assertThat(tokens.verify(tokens.sign("bob", "gateway", Duration.ofMinutes(1))).orElseThrow().roles()).isEmpty();
    }

    @Test
    void aRememberedTokenStillExpiresOnTime() {
        AtomicLong now = new AtomicLong(System.currentTimeMillis());
        InternalToken remembering = new InternalToken(SECRET, now::get);
        String token = remembering.sign("alice", "gateway", Duration.ofMinutes(1));
        assertThat(remembering.verify(token)).hasValue(new InternalToken.Caller("alice", "gateway"));
        assertThat(remembering.verify(token)).as("the second check is answered from memory").hasValue(new InternalToken.Caller("alice", "gateway"));
        now.addAndGet(Duration.ofSeconds(60 + 4).toMillis());
        assertThat(remembering.verify(token)).as("within the allowed clock skew after exp").isPresent();
        now.addAndGet(Duration.ofSeconds(2).toMillis());
        assertThat(remembering.verify(token)).as("past exp and the skew").isEmpty();
        assertThat(remembering.verify(token)).as("and it stays refused").isEmpty();
    }

    @Test
    void rememberingATokenDoesNotVouchForAnotherOne() {
        String alice = tokens.sign("alice", "gateway", Duration.ofMinutes(1));
        assertThat(tokens.verify(alice)).isPresent();
        String[] parts = alice.split("\\.");
        assertThat(tokens.verify(parts[0] + "." + parts[1] + "." + "A".repeat(parts[2].length()))).isEmpty();
        assertThat(tokens.verify(alice + "x")).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        String forged = new InternalToken("another-secret-another-secret-another-secret").sign("admin", "gateway", Duration.ofMinutes(1));
        assertThat(tokens.verify(forged)).isEmpty();
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = tokens.sign("viewer", "gateway", Duration.ofMinutes(1));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("viewer", "admin!");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        assertThat(tokens.verify(tampered)).isEmpty();
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(InternalToken.ISSUER);
        claims.setAudience(InternalToken.AUDIENCE);
        claims.setSubject("alice");
        claims.setExpirationTimeMinutesInTheFuture(-1);
        assertThat(tokens.verify(signed(claims, AlgorithmIdentifiers.HMAC_SHA256))).isEmpty();
    }

    @Test
    void onlyOurIssuerAudienceAndAlgorithmAreTaken() throws Exception {
        JwtClaims otherAudience = new JwtClaims();
        otherAudience.setIssuer(InternalToken.ISSUER);
        otherAudience.setAudience("someone-else");
        otherAudience.setSubject("alice");
        otherAudience.setExpirationTimeMinutesInTheFuture(1);
        assertThat(tokens.verify(signed(otherAudience, AlgorithmIdentifiers.HMAC_SHA256))).isEmpty();

        JwtClaims ours = new JwtClaims();
        ours.setIssuer(InternalToken.ISSUER);
        ours.setAudience(InternalToken.AUDIENCE);
        ours.setSubject("alice");
        ours.setExpirationTimeMinutesInTheFuture(1);
        assertThat(tokens.verify(signed(ours, AlgorithmIdentifiers.HMAC_SHA512))).isEmpty();
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(ours.toJson());
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        assertThat(tokens.verify(none.getCompactSerialization())).isEmpty();
    }

    @Test
    void garbageIsRefusedNotThrown() {
        assertThat(tokens.verify(null)).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify("not.a.token")).isEmpty();
        assertThat(tokens.verify("x".repeat(10_000))).isEmpty();
    }

    @Test
    void aShortSecretIsRefusedAtStart() {
        assertThatThrownBy(() -> new InternalToken("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes");
    }

    private static String signed(JwtClaims claims, String algorithm) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKey(new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));
        jws.setDoKeyValidation(false); // HS512 wants a longer key; the point is that it is refused for its algorithm
        return jws.getCompactSerialization();
    }
}
