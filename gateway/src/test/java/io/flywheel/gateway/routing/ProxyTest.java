package io.flywheel.gateway.routing;

import io.flywheel.internalauth.InternalToken;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
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
        String authorization = asAdmin().header("Authorization", "Bearer forged-by-the-caller").header("traceparent", traceparent)
                .header("tracestate", "vendor=1")
                .when().get("/api/v1/echo")
                .then().statusCode(200)
                .body("headers.traceparent", equalTo(traceparent))
                .body("headers.tracestate", equalTo("vendor=1"))
                // the key itself never reaches the services
                .body("headers.x-api-key", org.hamcrest.Matchers.nullValue())
                .extract().path("headers.authorization");
        // the service learns who calls, and the caller's roles, from an internal token the gateway signed for the key's principal
        InternalToken tokens = new InternalToken(ConfigProvider.getConfig().getValue("flywheel.internal-auth.secret", String.class));
        assertThat(authorization).startsWith("Bearer ");
        assertThat(tokens.verify(authorization.substring(7))).hasValue(new InternalToken.Caller("bootstrap-admin", "gateway", java.util.Set.of("admin")));
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
    void aRedirectPassesThroughUnchanged() {
        // the registry answers a large artifact's download with a 307 to S3: the client must see it as sent
        asAdmin().redirects().follow(false).when().get("/api/v1/echo/redirect/artifact")
                .then().statusCode(307)
                .header("Location", EchoUpstream.REDIRECT_LOCATION)
                .header("Cache-Control", "no-store")
                .header("ETag", "\"abc\"");
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
