package io.flywheel.gateway.routing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

/** What the gateway forwards, seen from a real upstream server. */
@QuarkusTest
@QuarkusTestResource(EchoUpstream.class)
class ProxyTest {

    @Test
    void forwardsMethodPathQueryBodyAndTheCallersRequestId() {
        given().header("X-Request-Id", "trace-42").contentType(ContentType.JSON).body("{\"a\":1}")
                .when().post("/api/v1/echo/things/7?x=1&y=two")
                .then().statusCode(200)
                .header("X-Request-Id", "trace-42")
                .body("method", equalTo("POST"))
                .body("uri", equalTo("/api/v1/echo/things/7?x=1&y=two"))
                .body("body", equalTo("{\"a\":1}"))
                .body("headers.x-request-id", equalTo("trace-42"))
                .body("headers.x-forwarded-host", startsWith("localhost:"));
    }

    @Test
    void givesARequestIdWhenTheCallerHasNone() {
        given().when().get("/api/v1/echo")
                .then().statusCode(200)
                .body("headers.x-request-id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void replacesAnInsaneRequestId() {
        given().header("X-Request-Id", "not ok; drop table").when().get("/api/v1/echo")
                .then().statusCode(200)
                .body("headers.x-request-id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void anUnreachableServiceIsA503ProblemNamingIt() {
        given().when().get("/api/v1/nowhere/anything")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("service", equalTo("nowhere-service"))
                .body("detail", equalTo("nowhere-service is unavailable; retry later"));
    }

    @Test
    void pathTricksAreRefusedBeforeRouting() {
        given().urlEncodingEnabled(false).when().get("/api/v1/echo/%2e%2e/q/metrics")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:bad-path"));
        given().urlEncodingEnabled(false).when().get("/api/v1/echo/a%2Fb")
                .then().statusCode(400);
    }

    @Test
    void anUnknownRouteIsAProblem() {
        given().when().get("/api/v1/no-such-thing")
                .then().statusCode(404)
                .contentType("application/problem+json");
    }
}
