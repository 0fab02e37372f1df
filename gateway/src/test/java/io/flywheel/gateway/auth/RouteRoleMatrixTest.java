package io.flywheel.gateway.auth;

import io.flywheel.gateway.TestAuth;
import io.flywheel.gateway.routing.EchoUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of the public surface × every role, no credentials and a revoked key: 401 without a
 * valid key, 403 when the role doesn't fit, otherwise the request reaches its handler (whatever that
 * answers). The expected table is written out here, independently of {@link AccessPolicy}.
 */
@QuarkusTest
@QuarkusTestResource(EchoUpstream.class)
class RouteRoleMatrixTest {

    private record Route(String method, String path, String body, Set<String> allowed) {
    }

    private static final Set<String> READ = Set.of("viewer", "editor", "admin");
    private static final Set<String> WRITE = Set.of("editor", "admin");
    private static final Set<String> INGEST = Set.of("ingest", "editor", "admin");
    private static final Set<String> ADMIN = Set.of("admin");

    private static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/v1/models", null, READ),
            new Route("POST", "/api/v1/models", "{\"name\":\"matrix-" + UUID.randomUUID().toString().substring(0, 6) + "\"}", WRITE),
            new Route("GET", "/api/v1/models/none", null, READ),
            new Route("PATCH", "/api/v1/models/none", "{}", WRITE),
            new Route("GET", "/api/v1/models/none/versions", null, READ),
            new Route("POST", "/api/v1/models/none/versions", "{}", WRITE),
            new Route("PUT", "/api/v1/models/none/aliases/champion", "{\"version\":1}", WRITE),
            new Route("DELETE", "/api/v1/models/none/aliases/champion", null, WRITE),
            new Route("GET", "/api/v1/datasets", null, READ),
            new Route("POST", "/api/v1/datasets", "{}", WRITE),
            new Route("POST", "/api/v1/drift/compare", "{}", WRITE),
            new Route("GET", "/api/v1/monitoring/none/status", null, READ),
            new Route("GET", "/api/v1/deployments/none", null, READ),
            new Route("POST", "/api/v1/deployments/none/production/promotions", "{}", WRITE),
            new Route("POST", "/api/v1/deployments/none/production/rollback", "{}", WRITE),
            new Route("GET", "/api/v1/retrain/jobs", null, READ),
            new Route("POST", "/api/v1/retrain/jobs", "{}", WRITE),
            new Route("PUT", "/api/v1/retrain/policies/none", "{}", WRITE),
            new Route("GET", "/api/v1/retrain/triggers", null, READ),
            new Route("POST", "/api/v1/predictions", "[]", INGEST),
            new Route("POST", "/api/v1/feedback", "[]", INGEST),
            new Route("POST", "/v2/models/none/infer", "{}", READ),
            new Route("GET", "/v2/models/none/ready", null, READ),
            new Route("GET", "/api/v1/system/ready", null, READ),
            new Route("GET", "/api/v1/keys", null, ADMIN),
            new Route("POST", "/api/v1/keys", "{}", ADMIN),
            new Route("DELETE", "/api/v1/keys/none", null, ADMIN),
            new Route("GET", "/api/v1/echo/anything", null, READ),
            new Route("DELETE", "/api/v1/echo/anything", null, WRITE));

    private final Map<String, String> keys = new LinkedHashMap<>();
    private String revokedKey;

    private void createKeys() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (String role : List.of("viewer", "editor", "admin", "ingest")) {
            keys.put(role, TestAuth.createKey("matrix-" + role + "-" + run, role));
        }
        var revoked = asAdmin().contentType(ContentType.JSON).body("{\"name\":\"matrix-revoked-" + run + "\",\"roles\":[\"admin\"]}")
                .when().post("/api/v1/keys").then().statusCode(201).extract();
        revokedKey = revoked.path("key");
        asAdmin().when().delete("/api/v1/keys/{id}", (String) revoked.path("id")).then().statusCode(200);
    }

    @Test
    void everyRouteTimesEveryRole() {
        createKeys();
        List<String> wrong = new ArrayList<>();
        for (Route route : ROUTES) {
            check(wrong, route, "no credentials", null, 401);
            check(wrong, route, "revoked key", revokedKey, 401);
            keys.forEach((role, key) -> {
                if (route.allowed().contains(role)) {
                    int status = send(route, key).statusCode();
                    if (status == 401 || status == 403) {
                        wrong.add(route.method() + " " + route.path() + " as " + role + ": expected access, got " + status);
                    }
                } else {
                    check(wrong, route, role, key, 403);
                }
            });
        }
        assertThat(wrong).as("routes whose access differs from the table").isEmpty();
    }

    private static void check(List<String> wrong, Route route, String who, String key, int expected) {
        Response response = send(route, key);
        if (response.statusCode() != expected) {
            wrong.add(route.method() + " " + route.path() + " as " + who + ": expected " + expected + ", got " + response.statusCode());
        } else if (!response.contentType().startsWith("application/problem+json")) {
            wrong.add(route.method() + " " + route.path() + " as " + who + ": " + expected + " without a problem body");
        }
    }

    private static Response send(Route route, String key) {
        var request = given();
        if (key != null) {
            request.header("X-API-Key", key);
        }
        if (route.body() != null) {
            request.contentType(ContentType.JSON).body(route.body());
        }
        return request.when().request(route.method(), route.path());
    }
}
