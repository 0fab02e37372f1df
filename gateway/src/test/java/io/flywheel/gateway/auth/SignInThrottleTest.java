package io.flywheel.gateway.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Guessing keys at the sign-in form runs out of attempts: a 429 problem with Retry-After. */
@QuarkusTest
@TestProfile(SignInThrottleTest.FewAttempts.class)
class SignInThrottleTest {

    public static class FewAttempts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.auth.sign-in.burst", "3", "gateway.auth.sign-in.refill", "1m");
        }
    }

    @Test
    void aFourthGuessInARowIsThrottled() {
        for (int i = 0; i < 3; i++) {
            given().formParam("key", "guess-" + i).when().post("/dashboard/login").then().statusCode(401);
        }
        given().formParam("key", "guess-3").when().post("/dashboard/login")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:flywheel:problem:rate-limited"));
    }
}
