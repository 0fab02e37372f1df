package io.flywheel.gateway.routing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Timeouts, retries only for idempotent requests, and a circuit breaker per service. */
@QuarkusTest
@QuarkusTestResource(EchoUpstream.class)
class ResilienceTest {

    @Test
    void anIdempotentRequestIsRetriedWhenTheServiceDropsIt() {
        String path = "/api/v1/echo/flaky/" + UUID.randomUUID();
        asAdmin().when().get(path).then().statusCode(200).body("method", equalTo("GET"));
        assertThat(EchoUpstream.ATTEMPTS.get("GET " + path)).isEqualTo(2);
    }

    @Test
    void aNonIdempotentRequestIsNeverRetried() {
        String path = "/api/v1/echo/flaky/" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).body("{}").when().post(path)
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("service", equalTo("echo"));
        assertThat(EchoUpstream.ATTEMPTS.get("POST " + path)).isEqualTo(1);
    }

    @Test
    void aSilentServiceIsAGatewayTimeout() {
        asAdmin().contentType(ContentType.JSON).body("{}").when().post("/api/v1/echo/slow")
                .then().statusCode(504)
                .contentType("application/problem+json")
                .body("detail", equalTo("echo did not answer in time; retry later"));
    }

    @Test
    void repeatedFailuresOpenTheCircuit() {
        for (int i = 0; i < 12; i++) {
            asAdmin().when().delete("/api/v1/nowhere/x").then().statusCode(503);
        }
        long start = System.nanoTime();
        asAdmin().when().delete("/api/v1/nowhere/x")
                .then().statusCode(503)
                .body("detail", containsString("circuit open"));
        // an open circuit answers at once, without trying the service
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
    }
}
