package io.flywheel.gateway.auth;

import io.flywheel.gateway.TestAuth;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.flywheel.gateway.TestAuth.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;

/** A burst of 3 and 1 request per second per caller: the 4th quick request is a 429 with Retry-After. */
@QuarkusTest
@TestProfile(RateLimitTest.Tight.class)
class RateLimitTest {

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.rate-limit.requests-per-second", "1", "gateway.rate-limit.burst", "3");
        }
    }

    @Test
    void eachCallerHasItsOwnBucket() {
        String key = TestAuth.createKey("limited-" + UUID.randomUUID().toString().substring(0, 8), "viewer");
        for (int i = 0; i < 3; i++) {
            withKey(key).when().get("/api/v1/system/ready").then().statusCode(org.hamcrest.Matchers.not(429));
        }
        withKey(key).when().get("/api/v1/system/ready")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("1"))
                .body("detail", containsString("rate limit"));
        // another caller is not slowed down by this one
        String other = TestAuth.createKey("other-" + UUID.randomUUID().toString().substring(0, 8), "viewer");
        withKey(other).when().get("/api/v1/system/ready").then().statusCode(org.hamcrest.Matchers.not(429));
        asAdmin(); // the admin key has its own bucket too (used above to create keys)
    }
}
