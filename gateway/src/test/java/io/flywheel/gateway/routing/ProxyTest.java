package io.flywheel.gateway.routing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

/** What the gateway forwards, seen from a real upstream server. */
@QuarkusTest
@QuarkusTestResource(EchoUpstream.class)
class ProxyTest {

    @Test
    void forwardsMethodPathQueryBodyAndTheCallersRequestId() {
        asAdmin().header("X-Request-Id", "trace-42").contentType(ContentType.JSON).body("{\"a\":1}")
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
    void tellsTheServiceWhoCallsAndPassesTraceContextOn() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        asAdmin().header("X-Flywheel-Principal", "someone-else").header("traceparent", traceparent)
                .header("tracestate", "vendor=1")
                .when().get("/api/v1/echo")
                .then().statusCode(200)
                // the caller can't claim to be someone else: the gateway sets it from the key
                .body("headers.x-flywheel-principal", equalTo("bootstrap-admin"))
                .body("headers.traceparent", equalTo(traceparent))
                .body("headers.tracestate", equalTo("vendor=1"))
                // the key itself never reaches the services
                .body("headers.x-api-key", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void givesARequestIdWhenTheCallerHasNone() {
        asAdmin().when().get("/api/v1/echo")
                .then().statusCode(200)
                .body("headers.x-request-id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void replacesAnInsaneRequestId() {
        asAdmin().header("X-Request-Id", "not ok; drop table").when().get("/api/v1/echo")
                .then().statusCode(200)
                .body("headers.x-request-id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void anUnreachableServiceIsA503ProblemNamingIt() {
        asAdmin().when().get("/api/v1/nowhere/anything")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("service", equalTo("nowhere-service"))
                .body("detail", equalTo("nowhere-service is unavailable; retry later"));
    }

    @Test
    void pathTricksAreRefusedBeforeRouting() {
        asAdmin().urlEncodingEnabled(false).when().get("/api/v1/echo/%2e%2e/q/metrics")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:flywheel:problem:bad-path"));
        asAdmin().urlEncodingEnabled(false).when().get("/api/v1/echo/a%2Fb")
                .then().statusCode(400);
    }

    @Test
    void anUnknownRouteIsAProblem() {
        asAdmin().when().get("/api/v1/no-such-thing")
                .then().statusCode(404)
                .contentType("application/problem+json");
    }
}
