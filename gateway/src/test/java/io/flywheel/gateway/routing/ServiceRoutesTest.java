package io.flywheel.gateway.routing;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.flywheel.gateway.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Each service reached through its route on the gateway. Needs the five services running
 * (`./flywheel test` starts them before the tests).
 */
@QuarkusTest
class ServiceRoutesTest {

    @Test
    void registryThroughTheGateway() {
        String name = "routed-" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .when().post("/api/v1/models")
                .then().statusCode(201)
                .body("name", equalTo(name))
                // links written by the service point at the gateway, not at the service's own port
                .header("Location", matchesPattern("http://localhost:\\d+/api/v1/models/" + name));
        asAdmin().when().get("/api/v1/models/{name}", name).then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void monitorThroughTheGateway() {
        asAdmin().when().get("/api/v1/monitoring/{model}/status", "any-model")
                .then().statusCode(200)
                .body("model", equalTo("any-model"))
                .body("predictions", notNullValue());
    }

    @Test
    void retrainThroughTheGateway() {
        asAdmin().when().get("/api/v1/retrain/triggers?limit=1")
                .then().statusCode(200)
                .body("items", notNullValue());
    }

    @Test
    void deployThroughTheGateway() {
        asAdmin().when().get("/api/v1/deployments/{model}", "never-registered-anywhere")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("model 'never-registered-anywhere' is not known to deploy; register it in the registry first"));
    }

    @Test
    void badInputIsStillTheServicesProblem() {
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"spaces are not allowed\"}")
                .when().post("/api/v1/models")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("name"));
    }
}
